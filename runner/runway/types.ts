import type { MeasureEnv } from '../../lib/env.ts';
import type { ImageOutcome } from '../executor/types.ts';
import type { ParticipantState } from '../prepare/participant-state.ts';
import type { Profile } from '../report/profile.ts';
import type { Progress } from '../report/progress.ts';
import type { DayJob, DayOutcome, MatrixBatch, MatrixCell } from '../records.ts';

/** A timed day's result, wherever it ran. */
export interface DayResult {
  outcome: DayOutcome;
  /** Where it was measured; `env.imageId` is the image it ran in. */
  env: MeasureEnv;
  /** When the day started on its host (the stored duration feeds ETAs, not the time it waited in a queue). */
  startedAt: number;
  /** The image did not build or pull where the day was sent: the participant's problem, with its log's end. */
  imageProblem?: { ref: string; host: string; log: string } | null;
}

/** Where a runway hands each day back: as soon as it is known, so a long cycle stores as it goes. */
export interface DaySink {
  ran(job: DayJob, result: DayResult): void;
  /** The day did not run for a reason that is not the participant's (its worker's host failed): nothing is stored. */
  notRun(job: DayJob, why: string): void;
}

/**
 * Where a cycle's days run, chosen once per cycle (open.ts): here, in this
 * host's sandboxes (local.ts), or on the queue's workers (queued.ts). A
 * cycle plans, hands the work to its runway and stores what comes back; it
 * never asks which runway it has. A host fault (Docker gone) is thrown as a
 * HostFault: nothing of the day it cut short is handed back.
 */
export interface Runway {
  /** The days run elsewhere (summaries say so). */
  readonly onWorkers: boolean;
  /** Sandboxes started by this runway so far. */
  readonly containers: number;
  /** The hardware the days run on, as stored with the cycle. */
  hardware(): Promise<Record<string, unknown>>;
  /** Removes sandboxes a killed run of this instance left; how many. */
  sweep(): Promise<number>;
  /** Each participant's image, built or found (in order); a dry run builds nothing. */
  images(states: ParticipantState[], opts: { dryRun: boolean; announce: boolean }): Promise<ImageOutcome[]>;
  /** Times the days, in order, handing each result to the sink. */
  runDays(jobs: DayJob[], sink: DaySink): Promise<void>;
  /** Runs the matrix batches, handing each one's cells to `save`. */
  runBatches(batches: MatrixBatch[], save: (batch: MatrixBatch, cells: MatrixCell[]) => void): Promise<void>;
  /** Waits for background work (closing sandboxes, the queue's connections). */
  close(): Promise<void>;
}

/** What a runway is opened with, besides the instance. */
export interface RunwayContext {
  progress: Progress;
  profile: Profile;
  /** Aborted on shutdown: the work in flight was cut short and is not handed back. */
  signal: AbortSignal;
  /** Re-run even what a queue already holds a result for. */
  force: boolean;
}
