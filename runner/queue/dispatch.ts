import { Queue, QueueEvents, type Job } from 'bullmq';
import type { QueueConfig } from '../../lib/instance-config.ts';
import { queueConnection } from './connection.ts';
import { INPUT_TTL_SECONDS, InputStore, type MeasureSettings } from './job-content.ts';
import { formatDuration } from '../../lib/format.ts';
import { noWorkerMessage } from '../../lib/queue-health.ts';
import { jobsQueueName, queueOptions, readWorkers } from './names.ts';
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
  /** Inputs the jobs name by hash. */
  readonly inputs: InputStore;

  /** `settings`: how this instance measures, sent with every job (not needed to only read the queue's state). */
  constructor(
    private readonly q: QueueConfig,
    log: (line: string) => void,
    private readonly measure?: MeasureSettings,
  ) {
    this.connection = queueConnection(q, log);
    this.inputs = new InputStore(this.connection, q);
    const name = jobsQueueName(q.hardwareClass);
    this.queue = new Queue(name, { connection: this.connection, ...queueOptions(q) });
    // QueueEvents blocks on its connection: it gets its own.
    this.eventsConnection = this.connection.duplicate();
    this.events = new QueueEvents(name, { connection: this.eventsConnection, ...queueOptions(q) });
  }

  get settings(): MeasureSettings {
    if (!this.measure) throw new Error('this dispatcher was opened without measure settings');
    return this.measure;
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
    // A finished job stays until its result is stored; one nobody came back for (the repo moved on) goes with its input.
    const keep = { age: INPUT_TTL_SECONDS };
    const job = await this.queue.add(kind, data, { jobId: id, attempts: 1, removeOnComplete: keep, removeOnFail: keep });
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
    return readWorkers(this.connection, this.q);
  }

  /**
   * While jobs wait: says when no worker of this class has a heartbeat (and
   * when one comes), instead of waiting in silence. Returns the stop.
   */
  watchWorkers(say: (message: string) => void, everyMs = 10_000): () => void {
    let missing = false;
    const check = async () => {
      const m = noWorkerMessage(await this.workers().catch(() => []), this.q.hardwareClass, Date.now(), formatDuration);
      // Said when it changes, not every check.
      if (m && !missing) say(m);
      else if (!m && missing) say(`a worker of hardware class "${this.q.hardwareClass}" is here`);
      missing = !!m;
    };
    void check();
    const timer = setInterval(() => void check(), everyMs);
    return () => clearInterval(timer);
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.queue.close();
    // BullMQ leaves connections it was given open.
    this.eventsConnection.disconnect();
    this.connection.disconnect();
  }
}
