import type { QueueConfig } from '../../lib/instance-config.ts';
import type { LoadedInstance } from '../../db/instance.ts';
import type { ImageOutcome } from '../executor/types.ts';
import type { ParticipantState } from '../prepare/participant-state.ts';
import { Dispatcher, type JobQueue } from '../queue/coordinator/dispatch.ts';
import { runQueuedMatrix } from '../queue/coordinator/matrix-jobs.ts';
import { imageKey, runQueuedDays } from '../queue/coordinator/time-jobs.ts';
import { readImageIds } from '../queue/image-ids.ts';
import { measureSettings } from '../queue/job-content.ts';
import { queueResultKey } from '../queue/result-key.ts';
import type { DayJob, MatrixBatch, MatrixCell } from '../records.ts';
import type { DaySink, Runway, RunwayContext } from './types.ts';

/**
 * Days run on the queue's workers (`queue:` in the instance config): this
 * process builds nothing and starts no sandbox; it queues the work, waits
 * for the signed results and hands them back as they arrive.
 */
export class QueuedRunway implements Runway {
  readonly onWorkers = true;
  readonly containers = 0;
  private dispatcher: JobQueue<{ id?: string }> | null = null;

  constructor(
    private readonly inst: LoadedInstance,
    private readonly q: QueueConfig,
    private readonly ctx: RunwayContext,
    /** The queue, opened on first use: Redis through a Dispatcher, or an in-memory one in a test. */
    private readonly openQueue: () => JobQueue<{ id?: string }> = () => new Dispatcher(q, (m) => ctx.progress.info(m), measureSettings(inst.config)),
  ) {
    // A missing result key is said now, not after the sync and the plan: no queued result is stored without it.
    queueResultKey(q, process.env);
  }

  async hardware(): Promise<Record<string, unknown>> {
    return { executor: 'queue', hardwareClass: this.q.hardwareClass };
  }

  /** The workers sweep their own hosts. */
  async sweep(): Promise<number> {
    return 0;
  }

  /** Each worker builds or pulls the image itself; here it is only named (see time-jobs.ts imageKey). */
  async images(states: ParticipantState[]): Promise<ImageOutcome[]> {
    // `image:` references as the workers see them now (see queue/image-ids.ts).
    const ids = await readImageIds(this.q, (m) => this.ctx.progress.info(m));
    return states.map((state) => imageKey(state, ids));
  }

  async runDays(jobs: DayJob[], sink: DaySink): Promise<void> {
    const { progress, force, signal } = this.ctx;
    await runQueuedDays(this.queue(), jobs, sink, progress, { force, signal, hardwareClass: this.q.hardwareClass });
  }

  async runBatches(batches: MatrixBatch[], save: (batch: MatrixBatch, cells: MatrixCell[]) => void): Promise<void> {
    const { progress, force, signal } = this.ctx;
    await runQueuedMatrix(this.queue(), batches, save, progress, { force, signal });
  }

  async close(): Promise<void> {
    await this.dispatcher?.close();
    this.dispatcher = null;
  }

  /** Opened on first use: a dry run or a cycle with nothing to plan never connects. */
  private queue(): JobQueue<{ id?: string }> {
    return (this.dispatcher ??= this.openQueue());
  }
}
