import type { Answers } from './answers.ts';
import { disputedAnswers, type Consensus } from './matrix.ts';
import { chooseSharedInput, type InputCandidate } from './shared-input.ts';
import { inputVersion } from './versions.ts';

/** What the runner read of one day of a participant's committed content. */
export interface DayInfo {
  day: number;
  exists: boolean;
  /** `.wip` / `.nobench` in the day's directory, or `<daypath>.wip` / `.nobench` beside a file. */
  wip: boolean;
  version: string | null;
  inputPath: string | null;
  answerPath: string | null;
  input: string | null;
  answers: Answers;
  /** Why the paths could not be used, e.g. one escapes the repository. */
  problem: string | null;
}

/** A participant as planning sees it: its days, what the admin ignores, and its usable image. */
export interface PlanParticipant {
  name: string;
  ignoreDays: number[];
  ignoreInputs: number[];
  days: Map<number, DayInfo>;
}

/** The key a stored result was measured under; a change in any part re-runs the day. */
export interface RunKey {
  version: string;
  inputVersion: string;
  imageId: string;
}

export interface StoredRun extends RunKey {
  durationMs: number | null;
}

export interface PlannedDay extends RunKey {
  day: number;
  input: InputCandidate;
  reason: string;
  estimateMs: number;
}

export interface DayHealth {
  day: number;
  level: 'ok' | 'warning' | 'error';
  message: string;
  detail: string;
  /** The day is marked work in progress (stored as a column, not read back from the detail). */
  wip: boolean;
}

/** Why a day must run, or null when its stored result still holds. */
export function rerunReason(stored: RunKey | undefined, key: RunKey, force: boolean): string | null {
  if (force) return 'forced';
  if (!stored) return 'new';
  if (stored.version !== key.version) return 'code changed';
  if (stored.inputVersion !== key.inputVersion) return 'input changed';
  if (stored.imageId !== key.imageId) return 'image changed';
  return null;
}

/**
 * The shared input of each day: the inputs dir's, else the first participant
 * (config order) with an input and answers whose input the admin did not set
 * aside and whose answers the evidence does not contradict (`disputed`).
 */
export function sharedInputs(
  days: number,
  inputsDir: Map<number, InputCandidate | null>,
  participants: PlanParticipant[],
  disputed: (day: number, name: string) => boolean = () => false,
): Map<number, InputCandidate | null> {
  const shared = new Map<number, InputCandidate | null>();
  for (let day = 1; day <= days; day++) {
    const candidates = participants
      .filter((p) => !p.ignoreInputs.includes(day) && !disputed(day, p.name))
      .map((p) => ({ source: p.name, input: p.days.get(day)?.input ?? null, answers: p.days.get(day)?.answers ?? { part1: null, part2: null } }));
    shared.set(day, chooseSharedInput(inputsDir.get(day) ?? null, candidates));
  }
  return shared;
}

/** Without a shared input, a participant runs on its own input, unchecked unless it has answers. */
/** The input a participant's day runs on: the day's shared input, else its own (with its answers), else none. */
export function inputFor(shared: InputCandidate | null, own: DayInfo, name: string): InputCandidate | null {
  if (shared) return shared;
  if (own.input?.trim()) return { source: name, input: own.input, answers: own.answers };
  return null;
}

/** What a new day is expected to take when nothing was measured yet. */
const DEFAULT_ESTIMATE_MS = 5000;

/**
 * Which of a participant's days run and why, and the health message of every
 * day (also those that do not run). Pure: the stored results come in as data.
 */
export function planParticipant(
  p: PlanParticipant,
  opts: { imageId: string; shared: Map<number, InputCandidate | null>; stored: Map<number, StoredRun>; force: boolean; selectDay: (day: number) => boolean },
): { days: PlannedDay[]; health: DayHealth[]; skipped: number } {
  const out = { days: [] as PlannedDay[], health: [] as DayHealth[], skipped: 0 };
  for (const [day, info] of p.days) {
    if (!opts.selectDay(day)) continue;
    const detail = JSON.stringify({
      exists: info.exists, wip: info.wip, version: info.version, inputPath: info.inputPath, answerPath: info.answerPath,
      hasInput: !!info.input?.trim(), hasPart1: info.answers.part1 !== null, hasPart2: info.answers.part2 !== null,
    });
    const health = (level: DayHealth['level'], message: string) => out.health.push({ day, level, message, detail, wip: info.wip });
    if (p.ignoreDays.includes(day)) {
      health('warning', 'Ignored by the admin (instance config).');
      continue;
    }
    if (!info.exists || !info.version) {
      health('ok', 'Not present in the repository.');
      continue;
    }
    if (info.wip) {
      health('warning', 'Work in progress (.wip or .nobench): not benchmarked; earlier results stay as history.');
      continue;
    }
    if (info.problem || !info.inputPath) {
      health('error', info.problem ?? 'No input path.');
      continue;
    }
    const input = inputFor(opts.shared.get(day) ?? null, info, p.name);
    if (!input) {
      health('warning', 'No input for this day: nobody has committed an input with answers, and neither has this participant.');
      continue;
    }
    const note = p.ignoreInputs.includes(day) ? ' Its own input is not used by others (admin).' : '';
    health(note ? 'warning' : 'ok', `${input.source === p.name ? 'Present; runs on its own input.' : `Present; runs on the shared input from ${input.source}.`}${note}`);
    const key = { version: info.version, inputVersion: inputVersion(input.input!, input.answers), imageId: opts.imageId };
    const stored = opts.stored.get(day);
    const reason = rerunReason(stored, key, opts.force);
    if (!reason) {
      out.skipped++;
      continue;
    }
    out.days.push({ day, input, ...key, reason, estimateMs: stored?.durationMs ?? DEFAULT_ESTIMATE_MS });
  }
  return out;
}

/** What the last matrix run left: every solver's verdict and output on every input, and the inputs with their answers. */
export interface MatrixEvidence {
  cells: Array<{ solverId: number; day: number; input: string; inputVersion: string; status: string; output: string | null }>;
  inputs: Array<{ day: number; name: string; version: string; part1: string | null; part2: string | null }>;
}

/**
 * The answers files the matrix contradicts, keyed `day/participant`, with
 * what the solvers agree on instead. Only evidence about the input as it is
 * now counts: `currentVersion` gives each participant's current input version,
 * and a file changed since the matrix ran is not judged until it runs again.
 */
export function disputedAnswersFiles(evidence: MatrixEvidence, currentVersion: (day: number, name: string) => string | null): Map<string, Consensus> {
  const out = new Map<string, Consensus>();
  const days = new Set(evidence.inputs.map((i) => i.day));
  for (const day of days) {
    const inputs = evidence.inputs.filter((i) => i.day === day);
    const answersOf = new Map(inputs.filter((i) => i.part1 !== null || i.part2 !== null).map((i) => [i.name, { part1: i.part1, part2: i.part2 }]));
    const version = new Map(inputs.map((i) => [i.name, i.version]));
    const cells = evidence.cells.filter((c) => c.day === day && version.get(c.input) === c.inputVersion);
    for (const i of inputs) {
      if (currentVersion(day, i.name) !== i.version) continue;
      const d = disputedAnswers(i.name, cells, answersOf);
      if (d) out.set(`${day}/${i.name}`, d);
    }
  }
  return out;
}
