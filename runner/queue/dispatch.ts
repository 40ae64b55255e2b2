import { Queue, QueueEvents, type Job } from 'bullmq';
import type { QueueConfig } from '../../lib/instance-config.ts';
import { queueConnection } from './connection.ts';
import { jobsQueueName, queueOptions, workersKey } from './names.ts';
import type { MatrixJobData, MatrixJobResult, TimeJobData, TimeJobResult, WorkerStatus } from './payload.ts';

export type QueuedKind = 'time' | 'matrix';
type Data<K extends QueuedKind> = K extends 'time' ? TimeJobData : MatrixJobData;
type Result<K extends QueuedKind> = K extends 'time' ? TimeJobResult : MatrixJobResult;

/**
 * The coordinator's side of the queue: adds jobs under ids that name their
 * work (a second trigger of the same work finds the job already there), waits
 * for their results, and removes a job only once its result is stored, so a
 * coordinator that restarts finds every finished job still waiting for it.
 */
export class Dispatcher {
  readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly connection;
  private readonly eventsConnection;

  constructor(private readonly q: QueueConfig, log: (line: string) => void) {
    this.connection = queueConnection(q, log);
    const name = jobsQueueName(q.hardwareClass);
    this.queue = new Queue(name, { connection: this.connection, ...queueOptions(q) });
    // QueueEvents blocks on its connection: it gets its own.
    this.eventsConnection = this.connection.duplicate();
    this.events = new QueueEvents(name, { connection: this.eventsConnection, ...queueOptions(q) });
  }

  /**
   * Adds the job, or finds the one with the same id; `added` says which.
   * `fresh` (a forced re-run) replaces a finished job of that id instead of taking its result.
   */
  async submit<K extends QueuedKind>(kind: K, id: string, data: Data<K>, opts: { fresh?: boolean } = {}): Promise<{ job: Job; added: boolean }> {
    const existing = await this.queue.getJob(id);
    if (existing && opts.fresh && ['completed', 'failed'].includes(await existing.getState())) await existing.remove().catch(() => {});
    else if (existing) return { job: existing, added: false };
    // No automatic retries: a participant's failure comes back as a verdict; only a dead worker's job (stalled) runs again.
    const job = await this.queue.add(kind, data, { jobId: id, attempts: 1, removeOnComplete: false, removeOnFail: false });
    return { job, added: true };
  }

  /**
   * The job's result once a worker returns it; a job that failed on the worker
   * rejects with its reason. Null: the job is gone, its result stored by another
   * coordinator run (a command-line bench beside the daemon) that waited for it too.
   */
  async result<K extends QueuedKind>(job: Job): Promise<Result<K> | null> {
    await this.events.waitUntilReady();
    const state = await job.getState();
    if (state === 'unknown') return null;
    if (state === 'completed') return ((await this.queue.getJob(job.id!))?.returnvalue as Result<K>) ?? null;
    if (state === 'failed') throw new Error((await this.queue.getJob(job.id!))?.failedReason ?? 'failed on the worker');
    try {
      return (await job.waitUntilFinished(this.events)) as Result<K>;
    } catch (e) {
      if (!(await this.queue.getJob(job.id!))) return null;
      throw e;
    }
  }

  /** Once stored: the id is free again and a restart does not store it twice. */
  async forget(job: Job): Promise<void> {
    await job.remove().catch(() => {});
  }

  /** Jobs a worker finished (or failed) whose results were not stored yet, e.g. by a coordinator that stopped. */
  async finished(): Promise<{ completed: Job[]; failed: Job[] }> {
    return { completed: await this.queue.getCompleted(), failed: await this.queue.getFailed() };
  }

  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
  }

  /** Every worker that announced itself, with its class, current job and last heartbeat. */
  async workers(): Promise<WorkerStatus[]> {
    const all = await this.connection.hgetall(workersKey(this.q));
    return Object.values(all).map((v) => JSON.parse(v) as WorkerStatus);
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.queue.close();
    // BullMQ leaves connections it was given open.
    this.eventsConnection.disconnect();
    this.connection.disconnect();
  }
}
