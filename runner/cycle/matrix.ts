import PQueue from 'p-queue';
import { hasAnyAnswer, type Answers } from '../../lib/answers.ts';
import { cellsToRun, customInputName, INPUTS_DIR_NAME } from '../../lib/matrix.ts';
import { inputVersion } from '../../lib/versions.ts';
import { dbPath, openDb, type Db } from '../../db/client.ts';
import { cellsOf, listCustomInputs, pruneMatrixCells, replaceMatrixInputs, saveMatrixCell, type MatrixCellRow } from '../../db/queries/matrix.ts';
import { loadInstance } from '../config-load.ts';
import { checkRun, commandOf, daySetup, placeholders, prepareDay, writeInput, type DaySetup } from '../day/recipe.ts';
import { DaySandboxes, type AheadPolicy, type TrackedSession } from '../day/sandboxes.ts';
import type { Executor, Session } from '../executor/types.ts';
import { inputsDirCandidate, type ParticipantState } from '../prepare/participant-state.ts';
import { anchored, IMAGE_CONCURRENCY, openExecutor, resolveImage, sweep, syncAndLoad } from '../prepare/sync-and-images.ts';
import { Profile, type ProfileReport } from '../report/profile.ts';
import { Progress } from '../report/progress.ts';
import { HostFault, hostFaultAfter, mayBeHostFault } from '../host/blame.ts';
import { sessionSpec } from '../day/session-spec.ts';
import { UntimedWork } from '../day/untimed-work.ts';
import { imageKey } from '../queue/coordinator/time-jobs.ts';
import { Dispatcher } from '../queue/coordinator/dispatch.ts';
import { readImageIds } from '../queue/image-ids.ts';
import { measureSettings } from '../queue/job-content.ts';
import { runQueuedMatrix } from '../queue/coordinator/matrix-jobs.ts';
import { queueResultKey } from '../queue/result-key.ts';

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
  /** Where the wall time goes; the command line passes one that counts its own start-up. */
  profile?: Profile;
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
  /** Selected solvers with nothing to run: not cloned yet, or no valid config (why, as the health page says). */
  notRun: Array<{ participant: string; why: string }>;
  /** Where the wall time went (`aocbench matrix --verbose` prints it). */
  profile: ProfileReport;
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

/** One container's worth of cells: a solver's day on some of its inputs. */
interface Batch {
  state: ParticipantState;
  pid: number;
  day: number;
  inputPath: string;
  solverVersion: string;
  imageId: string;
  inputs: MatrixInput[];
  /** The (solver, day)'s cells to run, in all its batches; set on its first batch only (for the progress line). */
  announce: number | null;
}

/**
 * Runs every solver on every input of its days: one container per (solver,
 * day) with runonce and prerun once, then one untimed run per input. Only
 * cells whose solver or input changed run again. Nothing here is timed, so
 * images are resolved side by side and the next containers start while the
 * current one runs.
 */
export async function matrix(opts: MatrixOptions = {}): Promise<MatrixSummary> {
  const profile = opts.profile ?? new Profile();
  const opened = performance.now();
  const inst = loadInstance(opts.config);
  const progress = opts.progress ?? new Progress();
  // With a queue, the workers run the cells; the coordinator plans and stores them.
  const remote = inst.config.queue && !opts.executor ? inst.config.queue : null;
  // A missing result key is said now, not after the sync and the plan: no queued result is stored without it.
  if (remote) queueResultKey(remote, process.env);
  const executor = remote ? null : await openExecutor(inst, opts.executor);
  const db = openDb(dbPath(inst.dataDir));
  const summary: MatrixSummary = { containers: 0, cells: [], skipped: 0, notRun: [], profile: profile.report() };
  const dRe = anchored(opts.day);
  const iRe = anchored(opts.input);
  let sandboxes: DaySandboxes | null = null;
  const save = (b: Pick<Batch, 'state' | 'pid' | 'day' | 'solverVersion'>, cells: Cell[]) =>
    profile.timeSync('storage', () =>
      db.$client.transaction(() => {
        for (const c of cells) {
          saveMatrixCell(db, { ...c, solverId: b.pid, day: b.day, solverVersion: b.solverVersion });
          summary.cells.push({ solver: b.state.entry.name, day: b.day, input: c.input, status: c.status });
        }
      })(),
    );
  try {
    if (executor) await sweep(executor, inst);
    profile.add('open', performance.now() - opened);
    // Inputs come from everybody, whatever -p selects (as AoCBench).
    const states = await profile.time('sync', () => syncAndLoad(inst, db, opts, progress, profile));
    const planned = performance.now();
    const valid = states.filter(({ state }) => state.config);
    for (const { state, selected } of states) if (selected && !state.config) summary.notRun.push({ participant: state.entry.name, why: state.validation.messages.join(' ') });
    const inputs = new Map<number, MatrixInput[]>();
    for (let day = 1; day <= inst.config.days; day++) {
      const list = await dayInputs(db, inst.inputsDir, day, valid, inst.config.ignoreAnswers);
      inputs.set(day, list);
      replaceMatrixInputs(db, day, list.map((i) => ({ name: i.name, ownerId: i.ownerId, version: i.version, part1: i.answers.part1, part2: i.answers.part2 })));
    }
    profile.add('plan', performance.now() - planned);
    const selected = valid.filter(({ selected }) => selected);
    // `image:` references as the workers see them now (see queue/image-ids.ts).
    const imageIds = remote ? await readImageIds(remote, (m) => progress.info(m)) : {};
    const builds = new PQueue({ concurrency: IMAGE_CONCURRENCY });
    const images = await profile.time('image', () =>
      Promise.all(selected.map(({ state }) => builds.add(() => profile.time('image', () => (executor ? resolveImage(executor, inst, state, false) : Promise.resolve(imageKey(state, imageIds))), true)))),
    );
    const planning = performance.now();
    const batches: Batch[] = [];
    for (const [n, { state, pid }] of selected.entries()) {
      const image = images[n];
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
        // One participant's failure (its image, its sandbox, a crash) is its cells' error: the others run on.
        if (!image.imageId) {
          save({ state, pid, day, solverVersion }, todo.map((i) => errorCell(i, `image ${image.ref} is not usable`)));
          continue;
        }
        for (const [k, part] of (opts.containerPerInput ? todo.map((i) => [i]) : [todo]).entries()) {
          batches.push({ state, pid, day, inputPath: info.inputPath, solverVersion, imageId: image.imageId, inputs: part, announce: k === 0 ? todo.length : null });
        }
      }
    }
    profile.add('plan', performance.now() - planning);

    if (remote) {
      const queue = new Dispatcher(remote, (m) => progress.info(m), measureSettings(inst.config));
      try {
        await runQueuedMatrix(queue, batches, save, progress, { force: opts.force, signal: opts.signal });
      } finally {
        await queue.close();
      }
      return summary;
    }
    const days = new DaySandboxes(executor!, new UntimedWork(), profile, batches.map((b) => () => sessionSpec(inst, b.state, b.imageId, b.day)), AHEAD, (m) => progress.info(m));
    sandboxes = days;
    for (const [n, b] of batches.entries()) {
      if (b.announce !== null) progress.info(`${b.state.entry.name} day ${b.day}: ${b.announce} input(s)`);
      let session: TrackedSession | null = null;
      try {
        session = await days.take(n);
        const tracked = session;
        const setup = { ...daySetup(inst.config, b.state.config!, b.day, b.inputPath, b.state.entry.runonceNetwork), onStep: (step: string) => (tracked.step = step) };
        const cells = await runInputs(tracked, setup, b.inputs);
        if (opts.signal?.aborted) return summary;
        await unlessHostFailed(executor!, b, cells);
        save(b, cells);
      } catch (e) {
        if (opts.signal?.aborted || e instanceof HostFault) throw e;
        const cells = b.inputs.map((i) => errorCell(i, `could not run: ${(e as Error).message}`));
        await unlessHostFailed(executor!, b, cells);
        save(b, cells);
      } finally {
        if (session) days.release(n, session.inner);
      }
    }
    return summary;
  } finally {
    await sandboxes?.drain();
    summary.containers = sandboxes?.started ?? 0;
    db.$client.close();
    summary.profile = profile.report();
  }
}

/** Cells that failed because the host did (Docker gone) are not stored: the matrix stops with the host's reason. */
async function unlessHostFailed(executor: Executor, b: Pick<Batch, 'state' | 'day'>, cells: Cell[]): Promise<void> {
  const failed = cells.find((c) => mayBeHostFault(c.status));
  if (!failed) return;
  const host = await hostFaultAfter(executor, `${b.state.entry.name} day ${b.day} on ${failed.input} (${failed.message ?? failed.status})`);
  if (host) throw host;
}

/** Nothing in the matrix is timed: sandboxes start a few ahead and close as soon as they are done. */
const AHEAD: AheadPolicy = { ahead: 2, bursts: false };

/** A cell's result before it is stored under its solver and day (a worker returns these). */
export type MatrixCell = Omit<MatrixCellRow, 'solverId' | 'day' | 'solverVersion'>;
type Cell = MatrixCell;

const cell = (i: MatrixInput, c: Partial<Cell> & { status: string }): Cell => ({
  input: i.name, inputVersion: i.version, exitCode: null, message: null, output: null, wallMs: null, runAt: Date.now(),
  expected: hasAnyAnswer(i.answers) ? JSON.stringify(i.answers) : null, ...c,
});

const errorCell = (i: MatrixInput, message: string): Cell => cell(i, { status: 'error', message });

/** A solver's day on its inputs in one sandbox: locally here, and by `aocbench worker` for a queued matrix job. */
export async function runInputs(session: Session, setup: DaySetup, todo: MatrixInput[]): Promise<Cell[]> {
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
