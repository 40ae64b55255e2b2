import { hasAnyAnswer, type Answers } from '../lib/answers.ts';
import { cellsToRun, customInputName, INPUTS_DIR_NAME } from '../lib/matrix.ts';
import { inputVersion } from '../lib/versions.ts';
import { dbPath, openDb, type Db } from '../db/client.ts';
import { cellsOf, listCustomInputs, pruneMatrixCells, replaceMatrixInputs, saveMatrixCell, type MatrixCellRow } from '../db/queries/matrix.ts';
import { loadInstance } from './config-load.ts';
import { checkRun, commandOf, daySetup, placeholders, prepareDay, writeInput, type DaySetup } from './day-run.ts';
import type { Executor, Session } from './executor/types.ts';
import { inputsDirCandidate, type ParticipantState } from './participant-state.ts';
import { anchored, openExecutor, resolveImage, sweep, syncAndLoad } from './prepare.ts';
import { Progress } from './progress.ts';
import { startDaySession } from './session-spec.ts';

export interface MatrixOptions {
  config?: string;
  participant?: string;
  day?: string;
  input?: string;
  force?: boolean;
  noUpdate?: boolean;
  progress?: Progress;
  /** Where the cells run; by default the instance's executor. */
  executor?: Executor;
  /** One container per input instead of per (solver, day): only as the baseline of bench/matrix-cost.ts. */
  containerPerInput?: boolean;
  /** Aborted on shutdown: the cells in flight were cut short by it and are not stored. */
  signal?: AbortSignal;
}

export interface MatrixInput {
  name: string;
  ownerId: number | null;
  input: string;
  answers: Answers;
  version: string;
}

export interface MatrixSummary {
  containers: number;
  cells: Array<{ solver: string; day: number; input: string; status: string }>;
  skipped: number;
}

/** Every input of a day: each participant's own (with their answers, if any), the inputs dir's and custom ones. */
async function dayInputs(db: Db, inputsDir: string, day: number, states: Array<{ state: ParticipantState; pid: number }>, ignore: Array<string | number>): Promise<MatrixInput[]> {
  const out: MatrixInput[] = [];
  const add = (name: string, ownerId: number | null, input: string | null, answers: Answers) => {
    if (input?.trim()) out.push({ name, ownerId, input, answers, version: inputVersion(input, answers) });
  };
  for (const { state, pid } of states) {
    const info = state.days.get(day);
    if (info && !state.entry.ignoreInputs.includes(day)) add(state.entry.name, pid, info.input, info.answers);
  }
  const dir = await inputsDirCandidate(inputsDir, day, ignore);
  if (dir) add(INPUTS_DIR_NAME, null, dir.input, dir.answers);
  for (const c of listCustomInputs(db).filter((x) => x.day === day)) add(customInputName(c.name), null, c.input, { part1: c.part1, part2: c.part2 });
  return out;
}

/**
 * Runs every solver on every input of its days: one container per (solver,
 * day) with runonce and prerun once, then one untimed run per input. Only
 * cells whose solver or input changed run again.
 */
export async function matrix(opts: MatrixOptions = {}): Promise<MatrixSummary> {
  const inst = loadInstance(opts.config);
  const progress = opts.progress ?? new Progress();
  const executor = await openExecutor(inst, opts.executor);
  const db = openDb(dbPath(inst.dataDir));
  const summary: MatrixSummary = { containers: 0, cells: [], skipped: 0 };
  const dRe = anchored(opts.day);
  const iRe = anchored(opts.input);
  try {
    await sweep(executor, inst);
    // Inputs come from everybody, whatever -p selects (as AoCBench).
    const states = await syncAndLoad(inst, db, opts, progress);
    const valid = states.filter(({ state }) => state.config);
    const inputs = new Map<number, MatrixInput[]>();
    for (let day = 1; day <= inst.config.days; day++) {
      const list = await dayInputs(db, inst.inputsDir, day, valid, inst.config.ignoreAnswers);
      inputs.set(day, list);
      replaceMatrixInputs(db, day, list.map((i) => ({ name: i.name, ownerId: i.ownerId, version: i.version, part1: i.answers.part1, part2: i.answers.part2 })));
    }
    for (const { state, pid, selected } of valid) {
      if (!selected) continue;
      const image = await resolveImage(executor, inst, state, false);
      if (!image.ok || !image.imageId) progress.info(`${state.entry.name}: image ${image.ref} is not usable; its cells are errors`);
      for (const [day, info] of state.days) {
        if ((dRe && !dRe.test(String(day))) || state.entry.ignoreDays.includes(day)) continue;
        if (!info.exists || !info.version || !info.inputPath || info.wip) continue;
        const solverVersion = `${info.version}@${image.imageId ?? 'no-image'}`;
        const all = (inputs.get(day) ?? []).filter((i) => !iRe || iRe.test(i.name));
        if (!iRe) pruneMatrixCells(db, pid, day, all.map((i) => i.name));
        const stored = cellsOf(db, pid, day);
        const todo = cellsToRun(all, stored, solverVersion, !!opts.force);
        summary.skipped += all.length - todo.length;
        if (!todo.length) continue;
        const save = (cells: Cell[]) => {
          for (const c of cells) {
            saveMatrixCell(db, { ...c, solverId: pid, day, solverVersion });
            summary.cells.push({ solver: state.entry.name, day, input: c.input, status: c.status });
          }
        };
        // One participant's failure (its image, its sandbox, a crash) is its cells' error: the others run on.
        if (!image.imageId) {
          save(todo.map((i) => errorCell(i, `image ${image.ref} is not usable`)));
          continue;
        }
        progress.info(`${state.entry.name} day ${day}: ${todo.length} input(s)`);
        for (const batch of opts.containerPerInput ? todo.map((i) => [i]) : [todo]) {
          let session: Session | null = null;
          try {
            session = await startDaySession(executor, inst, state, image.imageId, day);
            summary.containers++;
            const cells = await runInputs(session, daySetup(inst.config, state.config!, day, info.inputPath, state.entry.runonceNetwork), batch);
            if (opts.signal?.aborted) return summary;
            save(cells);
          } catch (e) {
            if (opts.signal?.aborted) return summary;
            save(batch.map((i) => errorCell(i, `could not run: ${(e as Error).message}`)));
          } finally {
            await session?.close().catch(() => {});
          }
        }
      }
    }
    return summary;
  } finally {
    db.$client.close();
  }
}

type Cell = Omit<MatrixCellRow, 'solverId' | 'day' | 'solverVersion'>;

const cell = (i: MatrixInput, c: Partial<Cell> & { status: string }): Cell => ({
  input: i.name, inputVersion: i.version, exitCode: null, message: null, output: null, wallMs: null, runAt: Date.now(),
  expected: hasAnyAnswer(i.answers) ? JSON.stringify(i.answers) : null, ...c,
});

const errorCell = (i: MatrixInput, message: string): Cell => cell(i, { status: 'error', message });

async function runInputs(session: Session, setup: DaySetup, todo: MatrixInput[]): Promise<Cell[]> {
  // runonce and prerun once per container, with the first input in place, as AoCBench's bulk input.
  const prep = await prepareDay(session, setup, todo[0].input);
  if (prep.failure) {
    const f = prep.failure;
    return todo.map((i) => cell(i, { status: f.status, exitCode: f.exitCode, message: f.message, output: f.step === 'runonce' ? (prep.runonceOutput?.slice(0, 4096) ?? null) : null }));
  }
  const cmd = commandOf(setup.config, placeholders(setup));
  const out: Cell[] = [];
  for (const [n, i] of todo.entries()) {
    const problem = n === 0 ? null : await writeInput(session, setup, i.input);
    if (problem) {
      out.push(cell(i, { status: 'error', message: problem.message }));
      continue;
    }
    const r = await checkRun(session, cmd, i.answers, setup);
    out.push(cell(i, { status: r.status, exitCode: r.exitCode, message: r.message, output: r.output, wallMs: r.wallMs }));
  }
  return out;
}
