import type { Job, Queue, QueueEvents } from 'bullmq';
import { QueueProblem, type RedisOutage } from '../outage.ts';

export interface WatchHooks {
  outage: RedisOutage;
  say(line: string): void;
  /** Another coordinator run stored this job's result and removed the job. */
  storedElsewhere(job: Job): Promise<boolean>;
  /** Adds the job again as it was, its inputs too (Redis lost its data). */
  requeue(job: Job): Promise<void>;
  /** The class's workers with a recent heartbeat. */
  liveWorkers(): Promise<number>;
  /** Why no worker is there, said when the run gives up on them. */
  noWorker(): Promise<string>;
  /** How often every awaited job is looked at. */
  pollMs: number;
  /** How long Redis may be unreachable, or no worker live, before the jobs left end as not run. */
  giveUpMs: number;
}

interface Waiter {
  job: Job;
  resolve(value: unknown): void;
  reject(e: Error): void;
}

/**
 * Waits for many jobs at once. One listener on the queue's events hands each
 * finished job to its waiters by id (a listener per job passes Node's limit of
 * ten). Events alone can wait forever for a job Redis lost, so every
 * `pollMs` each awaited job is looked at: one gone from the queue is queued
 * again (the worker that already ran it returns its kept result), and no wait
 * outlasts an unreachable Redis or a class without workers by over `giveUpMs`.
 */
export class JobWatch {
  private readonly waiting = new Map<string, Waiter[]>();
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private lastWorkerAt = Date.now();

  constructor(
    private readonly queue: Queue,
    events: QueueEvents,
    private readonly h: WatchHooks,
  ) {
    events.on('completed', ({ jobId }) => void this.check(jobId).catch(() => {}));
    events.on('failed', ({ jobId }) => void this.check(jobId).catch(() => {}));
  }

  /** The job's return value; rejects with its failure; null when another run stored it. */
  wait(job: Job): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = job.id!;
      this.waiting.set(id, [...(this.waiting.get(id) ?? []), { job, resolve, reject }]);
      if (!this.timer) {
        this.lastWorkerAt = Date.now();
        this.timer = setInterval(() => void this.tick(), this.h.pollMs);
      }
      void this.check(id).catch(() => {});
    });
  }

  /** Settles the job's waiters if it finished; true when it is gone from the queue. */
  private async check(id: string): Promise<boolean> {
    if (!this.waiting.has(id)) return false;
    const state = await this.queue.getJobState(id);
    if (state === 'unknown') return true;
    if (state !== 'completed' && state !== 'failed') return false;
    // Read after its state: a job read first and finished before the look at its state would carry no return
    // value yet, and its result would be taken for one another run stored (null) and dropped for this cycle.
    const job = await this.queue.getJob(id);
    if (!job) return true;
    if (state === 'completed') this.settle(id, (w) => w.resolve(job.returnvalue));
    else this.settle(id, (w) => w.reject(new Error(job.failedReason || 'failed on the worker')));
    return false;
  }

  private async tick(): Promise<void> {
    const since = this.h.outage.since;
    if (since !== null && Date.now() - since > this.h.giveUpMs) return this.failAll(this.h.outage.problem());
    // While Redis is down its commands wait; the next tick after it returns looks at everything.
    if (this.busy || since !== null) return;
    this.busy = true;
    try {
      const ids = [...this.waiting.keys()];
      const lost = (await Promise.all(ids.map(async (id) => ((await this.check(id)) ? id : null)))).filter((id): id is string => id !== null);
      let requeued = 0;
      for (const id of lost) if (await this.recover(id)) requeued++;
      if (requeued) this.h.say(`${requeued} job(s) were no longer in the queue (Redis lost its data?): queued again`);
      if (await this.h.liveWorkers()) this.lastWorkerAt = Date.now();
      else if (this.waiting.size && Date.now() - this.lastWorkerAt > this.h.giveUpMs) this.failAll(new QueueProblem(`${await this.h.noWorker()} This run stops waiting after ${Math.round(this.h.giveUpMs / 1000)} s; the jobs stay queued.`));
    } catch {
      // Redis went away in the middle: the outage is said once by the connection, and the next tick tries again.
    } finally {
      this.busy = false;
    }
  }

  /** A job gone from the queue: stored by another run, or lost with Redis's data and queued again (true). */
  private async recover(id: string): Promise<boolean> {
    const job = this.waiting.get(id)?.[0]?.job;
    if (!job) return false;
    if (await this.h.storedElsewhere(job)) {
      this.settle(id, (w) => w.resolve(null));
      return false;
    }
    await this.h.requeue(job);
    return true;
  }

  private settle(id: string, f: (w: Waiter) => void): void {
    const ws = this.waiting.get(id);
    this.waiting.delete(id);
    ws?.forEach(f);
    if (!this.waiting.size) this.stop();
  }

  private failAll(e: Error): void {
    for (const id of [...this.waiting.keys()]) this.settle(id, (w) => w.reject(e));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
