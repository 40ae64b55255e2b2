/**
 * The records that pass between planning, the runway (where days run) and
 * storage, defined once: what a cycle plans (a day to time, a batch of matrix
 * cells), what comes back (an outcome, a cell) and what a cycle reports.
 */
import { hasAnyAnswer, type Answers } from '../lib/answers.ts';
import type { PlannedDay } from '../lib/plan.ts';
import type { StopReason } from '../lib/run-count.ts';
import type { MemoryMeter, RunUsage } from '../lib/usage.ts';
import type { MatrixCellRow } from '../db/queries/matrix.ts';
import type { ParticipantState } from './prepare/participant-state.ts';
import type { ProfileReport } from './report/profile.ts';

export type Verdict = 'correct' | 'wrong' | 'error' | 'timeout' | 'oom' | 'output-limit' | 'unchecked';
export type Step = 'runonce' | 'input' | 'prerun' | 'check' | 'timing';

/** What one (participant, day) run gave: its verdict, where it stopped, its timed samples. */
export interface DayOutcome {
  status: Verdict;
  failedStep: Step | null;
  exitCode: number | null;
  samplesMs: number[];
  checkMs: number | null;
  message: string | null;
  runonceOutput: string | null;
  checkOutput: string | null;
  /** Why the timed runs stopped (lib/run-count.ts); absent when they did not all pass. */
  stopReason?: StopReason | null;
  /** Per timed sample: peak memory and CPU time; absent or empty when the executor measured none. */
  usage?: RunUsage[];
  meter?: MemoryMeter;
}

/** A day that could not run at all (the sandbox would not start, the worker has no code for it): an `error`. */
export const errorOutcome = (message: string | null): DayOutcome => ({
  status: 'error', failedStep: null, exitCode: null, samplesMs: [], checkMs: null, message, runonceOutput: null, checkOutput: null,
});

/** A day the plan chose to time, with whose state and row it belongs to. */
export interface DayJob extends PlannedDay {
  state: ParticipantState;
  pid: number;
}

/** One input of a day's matrix: a participant's own, the inputs dir's or a custom one. */
export interface MatrixInput {
  name: string;
  ownerId: number | null;
  input: string;
  answers: Answers;
  version: string;
}

/** A cell's result before it is stored under its solver and day (a worker returns these). */
export type MatrixCell = Omit<MatrixCellRow, 'solverId' | 'day' | 'solverVersion'>;

export const matrixCell = (i: Pick<MatrixInput, 'name' | 'version' | 'answers'>, c: Partial<MatrixCell> & { status: string }): MatrixCell => ({
  input: i.name, inputVersion: i.version, exitCode: null, message: null, output: null, wallMs: null, runAt: Date.now(),
  expected: hasAnyAnswer(i.answers) ? JSON.stringify(i.answers) : null, ...c,
});

export const errorCell = (i: Pick<MatrixInput, 'name' | 'version' | 'answers'>, message: string): MatrixCell => matrixCell(i, { status: 'error', message });

/** One sandbox's worth of matrix cells: a solver's day on some of its inputs. */
export interface MatrixBatch {
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

export interface BenchJobResult {
  participant: string;
  day: number;
  reason: string;
  outcome?: DayOutcome;
  medianMs?: number | null;
  relCi?: number | null;
  /** Whose input the day ran on ("inputs": the instance's inputs dir). */
  inputSource?: string;
}

export interface BenchSummary {
  containers: number;
  jobs: BenchJobResult[];
  skipped: number;
  /** Selected participants that got no day run, and why (a config that does not parse, a repo or image that failed). */
  notRun: Array<{ participant: string; why: string }>;
  /** Where the wall time went (`aocbench bench --verbose` prints it). */
  profile: ProfileReport;
  /** The days ran on the queue's workers (`queue:`), not in this process's containers. */
  onWorkers?: boolean;
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
