import { Queue, QueueEvents, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueConfig } from '../../../lib/instance-config.ts';
import { giveUpMs, queueConnection } from '../connection.ts';
import { INPUT_TTL_SECONDS, InputStore, type MeasureSettings } from '../job-content.ts';
import { formatDuration } from '../../../lib/format.ts';
import { classWorkers, noWorkerMessage } from '../../../lib/queue-health.ts';
import { JobWatch } from './job-watch.ts';
import { queueResultKey } from '../result-key.ts';
import { openResult } from '../result-mac.ts';
import { jobsQueueName, queueOptions, readWorkers, resultKey, storedKey } from '../names.ts';
import { isConnectionError, type RedisOutage } from '../outage.ts';
import type { MatrixJobData, MatrixJobResult, TimeJobData, TimeJobResult, WorkerStatus } from '../payload.ts';

export type QueuedKind = 'time' | 'matrix';
export type Data<K extends QueuedKind> = K extends 'time' ? TimeJobData : MatrixJobData;
export type Result<K extends QueuedKind> = K extends 'time' ? TimeJobResult : MatrixJobResult;

/**
 * What the queued runway needs of the queue (runner/runway/queued.ts): the
 * Dispatcher below over Redis, or an in-memory one in a unit test of the
 * runway's logic. `J` is the queue's job handle.
 */
export interface JobQueue<J extends { id?: string } = Job> {
  readonly settings: MeasureSettings;
  readonly inputs: { store(text: string): Promise<string> };
  submit<K extends QueuedKind>(kind: K, id: string, data: Data<K>, opts?: { fresh?: boolean }): Promise<{ job: J; added: boolean }>;
  result<K extends QueuedKind>(job: J): Promise<Result<K> | null>;
  forget(job: J, stored?: boolean): Promise<void>;
  watchWorkers(say: (message: string) => void): () => void;
  close(): Promise<void>;
}

/**
 * The coordinator's side of the queue: adds jobs under ids that name their
 * work (a second trigger of the same work finds the job already there), waits
 * for their results, and removes a job only once its result is stored, so a
 * coordinator that restarts finds every finished job still waiting for it.
 */
export class Dispatcher implements JobQueue<Job> {
  readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly connection: Redis;
  private readonly eventsConnection: Redis;
  private readonly outage: RedisOutage;
  private readonly watch: JobWatch;
  private readonly giveUpMs: number;
  /** Inputs the jobs name by hash. */
  readonly inputs: InputStore;
  /** Workers sign results with it: a result that does not verify is never stored. */
  private readonly resultKey: Buffer;

  /** `settings`: how this instance measures, sent with every job (not needed to only read the queue's state). */
  constructor(
    private readonly q: QueueConfig,
    log: (line: string) => void,
    private readonly measure?: MeasureSettings,
    /** `giveUpMs`: how long an unreachable Redis or a class with no live worker is waited for (connection.ts's giveUpMs by default). */
    opts: { giveUpMs?: number } = {},
  ) {
    this.resultKey = queueResultKey(q, process.env);
    ({ redis: this.connection, outage: this.outage } = queueConnection(q, log));
    this.giveUpMs = opts.giveUpMs ?? giveUpMs(q);
    this.inputs = new InputStore(this.connection, q);
    const name = jobsQueueName(q.hardwareClass);
    this.queue = new Queue(name, { connection: this.connection, ...queueOptions(q) });
    // QueueEvents blocks on its connection: it gets its own.
    this.eventsConnection = this.connection.duplicate();
    this.events = new QueueEvents(name, { connection: this.eventsConnection, ...queueOptions(q) });
    // Connection errors are said once per outage by the connection; anything else once per message.
    const said = new Set<string>();
    const onError = (e: Error) => {
      if (isConnectionError(e) || this.outage.since !== null || said.has(e.message)) return;
      said.add(e.message);
      log(`queue: ${e.message}`);
    };
    this.queue.on('error', onError);
    this.events.on('error', onError);
    this.watch = new JobWatch(this.queue, this.events, {
      outage: this.outage, say: log, pollMs: Math.max(500, Math.min(q.stallSeconds, 10) * 500), giveUpMs: this.giveUpMs,
      storedElsewhere: async (job) => (await this.connection.get(storedKey(q, job.id!))) === String(job.data.queuedAt),
      requeue: (job) => this.requeue(job),
      liveWorkers: async () => classWorkers(await this.workers(), q.hardwareClass, Date.now()).live,
      noWorker: async () => noWorkerMessage(await this.workers(), q.hardwareClass, Date.now(), formatDuration) ?? 'No worker is live.',
    });
  }

  /** `work`, unless Redis stays unreachable too long (then a QueueProblem). */
  private bounded<T>(work: Promise<T>): Promise<T> {
    return this.outage.bound(work, this.giveUpMs);
  }

  get settings(): MeasureSettings {
    if (!this.measure) throw new Error('this dispatcher was opened without measure settings');
    return this.measure;
  }

  /**
   * Adds the job, or finds the one with the same id; `added` says which.
   * `fresh` (a forced re-run) replaces a finished job of that id instead of taking its result.
   */
  submit<K extends QueuedKind>(kind: K, id: string, data: Data<K>, opts: { fresh?: boolean } = {}): Promise<{ job: Job; added: boolean }> {
    return this.bounded(
      (async () => {
        const existing = await this.queue.getJob(id);
        if (existing && opts.fresh && ['completed', 'failed'].includes(await existing.getState())) await existing.remove().catch(() => {});
        else if (existing) return { job: existing, added: false };
        return { job: await this.add(kind, id, data), added: true };
      })(),
    );
  }

  private add(kind: string, id: string, data: unknown): Promise<Job> {
    // No automatic retries: a participant's failure comes back as a verdict; only a dead worker's job (stalled) runs again.
    // A finished job stays until its result is stored; one nobody came back for (the repo moved on) goes with its input.
    const keep = { age: INPUT_TTL_SECONDS };
    return this.queue.add(kind, data, { jobId: id, attempts: 1, removeOnComplete: keep, removeOnFail: keep });
  }

  /** A job Redis lost, added again as it was, with its inputs (lost with it). */
  private async requeue(job: Job): Promise<void> {
    const d = job.data as Partial<TimeJobData & MatrixJobData>;
    for (const hash of [d.inputHash, ...(d.inputs ?? []).map((i) => i.inputHash)]) if (hash) await this.inputs.restore(hash);
    await this.add(job.name, job.id!, job.data);
  }

  /**
   * The job's result once a worker returns it; a job that failed on the worker
   * rejects with its reason, and so does a run that gave up on Redis or on the
   * class's workers (QueueProblem). Null: the job is gone, its result stored by
   * another coordinator run (a command-line bench beside the daemon) that waited for it too.
   */
  async result<K extends QueuedKind>(job: Job): Promise<Result<K> | null> {
    const value = await this.watch.wait(job);
    // The id and data the coordinator queued, not what Redis now says: a result signed for another job does not verify.
    if (value === null) return null;
    return openResult(this.resultKey, job.id!, job.data, value) as Result<K>;
  }

  /**
   * Once stored (or given up as failed): the id is free again and a restart does not store it twice;
   * another run waiting for it sees it `stored`.
   */
  async forget(job: Job, stored = true): Promise<void> {
    const q = this.q;
    await this.bounded(
      Promise.all([
        stored ? this.connection.set(storedKey(q, job.id!), String(job.data.queuedAt), 'EX', 24 * 3600) : null,
        this.connection.del(resultKey(q, job.id!)),
        job.remove(),
      ]),
    ).catch(() => {});
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
    this.watch.stop();
    // Closing waits for Redis; an unreachable one is not waited for.
    const closed = Promise.all([this.events.close(), this.queue.close()]).catch(() => {});
    await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000).unref())]);
    // BullMQ leaves connections it was given open.
    this.eventsConnection.disconnect();
    this.connection.disconnect();
  }
}
