import type { Db } from '../../db/client.ts';
import { listMatrixCells, listMatrixInputs } from '../../db/queries/matrix.ts';
import { listDayResults } from '../../db/queries/results.ts';
import type { Consensus } from '../../lib/matrix.ts';
import { disputedAnswersFiles } from '../../lib/plan.ts';
import type { BenchJobResult, BenchSummary } from '../records.ts';
import type { Progress } from '../report/progress.ts';

/**
 * Days whose shared input came from a participant's answers file that every
 * solver of this run contradicts: at least two `wrong`, none `correct`. A
 * placeholder file (`0` / `0`) committed by the first participant who has a
 * day looks like this; so does a day nobody has solved yet, which the matrix
 * then clears (it disputes a file only when the solvers agree with each other).
 */
export function suspectAnswerFiles(jobs: BenchJobResult[]): Map<number, string> {
  const byDay = new Map<number, BenchJobResult[]>();
  for (const j of jobs) if (j.inputSource && j.inputSource !== 'inputs') byDay.set(j.day, [...(byDay.get(j.day) ?? []), j]);
  const out = new Map<number, string>();
  for (const [day, list] of byDay) {
    const source = list[0].inputSource!;
    if (list.some((j) => j.inputSource !== source || j.outcome?.status === 'correct')) continue;
    if (list.filter((j) => j.outcome?.status === 'wrong').length >= 2) out.set(day, source);
  }
  return out;
}

interface SettleSteps {
  /** Runs every solver of these days on every input of the day, untimed (the input matrix). */
  matrix(days: number[]): Promise<unknown>;
  /** Benchmarks these days again; the plan then passes over the answers files the matrix disputes. */
  rebench(days: number[]): Promise<BenchSummary>;
}

/**
 * A lone `bench` settles a disputed answers file in the same run, as the
 * matrix reasons: the solvers run on the day's other inputs (which teaches
 * where each prints its answers), and when they agree with each other against
 * the file, the day is benchmarked again on the next input with answers.
 */
export async function settleDisputes(first: BenchSummary, progress: Progress, steps: SettleSteps): Promise<BenchSummary> {
  const suspects = suspectAnswerFiles(first.jobs);
  if (!suspects.size) return first;
  const days = [...suspects.keys()].sort((a, b) => a - b);
  for (const [day, source] of suspects) progress.info(`day ${day}: every solver disagrees with ${source}'s answers file; checking it against the day's other inputs`);
  await steps.matrix(days);
  const again = await steps.rebench(days);
  if (!again.jobs.length) {
    for (const [day, source] of suspects) progress.info(`day ${day}: ${source}'s answers file stands (the solvers do not agree on other answers)`);
    return first;
  }
  const rerun = new Set(again.jobs.map((j) => `${j.participant}/${j.day}`));
  return {
    ...again,
    containers: first.containers + again.containers,
    jobs: [...first.jobs.filter((j) => !rerun.has(`${j.participant}/${j.day}`)), ...again.jobs],
    skipped: first.skipped,
    notRun: first.notRun,
    onWorkers: first.onWorkers,
    profile: first.profile,
  };
}

/**
 * Stored results measured on an answers file the matrix now disputes: the next
 * bench runs those days on the next input with answers. The matrix inputs
 * table holds each input's version as the last matrix saw it, which is what
 * the disputes are judged against.
 */
export function daysOnDisputedFiles(db: Db): Array<{ day: number; source: string; disputed: Consensus }> {
  const inputs = listMatrixInputs(db);
  const version = new Map(inputs.map((i) => [`${i.day}/${i.name}`, i.version]));
  const disputes = disputedAnswersFiles({ cells: listMatrixCells(db), inputs }, (day, name) => version.get(`${day}/${name}`) ?? null);
  const out = new Map<string, { day: number; source: string; disputed: Consensus }>();
  for (const r of listDayResults(db)) {
    const d = r.inputSource ? disputes.get(`${r.day}/${r.inputSource}`) : undefined;
    if (d) out.set(`${r.day}/${r.inputSource}`, { day: r.day, source: r.inputSource!, disputed: d });
  }
  return [...out.values()].sort((a, b) => a.day - b.day);
}
