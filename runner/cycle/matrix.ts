import type { Answers } from '../../lib/answers.ts';
import { cellsToRun, customInputName, INPUTS_DIR_NAME } from '../../lib/matrix.ts';
import { anchored } from '../../lib/select.ts';
import { inputVersion } from '../../lib/versions.ts';
import { openSeasonDb, type Db } from '../../db/client.ts';
import { cellsOf, listCustomInputs, pruneMatrixCells, replaceMatrixInputs, saveMatrixCell } from '../../db/queries/matrix.ts';
import { loadInstance } from '../../db/instance.ts';
import type { ImageOutcome } from '../executor/types.ts';
import { inputsDirCandidate, type ParticipantState } from '../prepare/participant-state.ts';
import { syncAndLoad, type LoadedParticipant } from '../prepare/sync-and-load.ts';
import { errorCell, type MatrixBatch, type MatrixCell, type MatrixInput, type MatrixSummary } from '../records.ts';
import { Profile } from '../report/profile.ts';
import { Progress } from '../report/progress.ts';
import { openRunway } from '../runway/open.ts';
import type { CycleOptions } from './options.ts';
import { eachSeason } from './seasons.ts';

export interface MatrixOptions extends CycleOptions {
  /** Only these inputs (anchored): participant names, "inputs", "custom:NAME". */
  input?: string;
  /** One container per input instead of per (solver, day): only as the baseline of bench/matrix-cost.ts. */
  containerPerInput?: boolean;
}

type Loaded = LoadedParticipant;

/**
 * Runs every solver on every input of its days: one sandbox per (solver,
 * day) with runonce and prerun once, then one untimed run per input. Only
 * cells whose solver or input changed run again. Nothing here is timed, so
 * images are resolved side by side and the next sandboxes start while the
 * current one runs.
 */
export async function matrix(opts: MatrixOptions = {}): Promise<MatrixSummary> {
  if (opts.season !== undefined) return matrixSeason({ ...opts, season: opts.season });
  const progress = opts.progress ?? new Progress();
  return eachSeason({ ...opts, progress, profile: opts.profile ?? new Profile() }, matrixSeason, (a, b) => ({
    containers: a.containers + b.containers, cells: [...a.cells, ...b.cells], skipped: a.skipped + b.skipped, notRun: [...a.notRun, ...b.notRun], profile: b.profile,
  }));
}

/** One season's matrix: its solvers on its inputs. */
async function matrixSeason(opts: MatrixOptions & { season: number }): Promise<MatrixSummary> {
  const profile = opts.profile ?? new Profile();
  const opened = performance.now();
  const inst = loadInstance(opts.config, opts.season);
  const progress = opts.progress ?? new Progress();
  const runway = await openRunway(inst, { progress, profile, signal: opts.signal ?? new AbortController().signal, force: !!opts.force }, opts.executor);
  const db = openSeasonDb(inst);
  const summary: MatrixSummary = { containers: 0, cells: [], skipped: 0, notRun: [], profile: profile.report() };
  const save = (b: Pick<MatrixBatch, 'state' | 'pid' | 'day' | 'solverVersion'>, cells: MatrixCell[]) =>
    profile.timeSync('storage', () =>
      db.$client.transaction(() => {
        for (const c of cells) {
          saveMatrixCell(db, { ...c, solverId: b.pid, day: b.day, solverVersion: b.solverVersion });
          summary.cells.push({ solver: b.state.entry.name, day: b.day, input: c.input, status: c.status });
        }
      })(),
    );
  try {
    await runway.sweep();
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
    const images = await runway.images(selected.map(({ state }) => state), { dryRun: false, announce: false });
    const batches = profile.timeSync('plan', () => planBatches(db, selected, images, inputs, opts, summary, save, progress));
    await runway.runBatches(batches, save);
    return summary;
  } finally {
    await runway.close();
    summary.containers = runway.containers;
    db.$client.close();
    summary.profile = profile.report();
  }
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

/** The cells to run, as batches of one (solver, day) each; a solver whose image is not usable gets its cells as errors now. */
function planBatches(
  db: Db, selected: Loaded[], images: ImageOutcome[], inputs: Map<number, MatrixInput[]>, opts: MatrixOptions, summary: MatrixSummary,
  save: (b: Pick<MatrixBatch, 'state' | 'pid' | 'day' | 'solverVersion'>, cells: MatrixCell[]) => void, progress: Progress,
): MatrixBatch[] {
  const dRe = anchored(opts.day);
  const iRe = anchored(opts.input);
  const batches: MatrixBatch[] = [];
  for (const [n, { state, pid }] of selected.entries()) {
    const image = images[n];
    if (!image.ok || !image.imageId) progress.info(`${state.entry.name}: image ${image.ref} is not usable; its cells are errors`);
    for (const [day, info] of state.days) {
      if ((dRe && !dRe.test(String(day))) || state.entry.ignoreDays.includes(day)) continue;
      if (!info.exists || !info.version || !info.inputPath || info.wip) continue;
      const solverVersion = `${info.version}@${image.imageId ?? 'no-image'}`;
      const all = (inputs.get(day) ?? []).filter((i) => !iRe || iRe.test(i.name));
      if (!iRe) pruneMatrixCells(db, pid, day, all.map((i) => i.name));
      const todo = cellsToRun(all, cellsOf(db, pid, day), solverVersion, !!opts.force);
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
  return batches;
}
