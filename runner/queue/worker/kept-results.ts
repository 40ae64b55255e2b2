import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueConfig } from '../../../lib/instance-config.ts';
import { resultKey } from '../names.ts';

const KEPT_HERE = 200;
const KEPT_IN_REDIS_SECONDS = 24 * 3600;

/**
 * A worker's results, kept until the coordinator stores them. When Redis
 * loses a job that already ran (flushed, or restarted while the job finished,
 * so the result never reached it), the coordinator queues the job again and
 * the worker hands back what it measured instead of timing it a second time.
 * Kept in Redis (for another worker, after a restart with persistence) and in
 * this process (Redis lost everything). The job's `queuedAt` tells a job
 * queued again from a new request for the same work (a forced re-run).
 */
export class KeptResults {
  private readonly here = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly q: QueueConfig,
  ) {}

  async take(job: Job): Promise<unknown> {
    const raw = this.here.get(job.id!) ?? (await this.redis.get(resultKey(this.q, job.id!)).catch(() => null));
    if (!raw) return null;
    const kept = JSON.parse(raw) as { queuedAt: unknown; result: unknown };
    return kept.queuedAt === job.data.queuedAt ? kept.result : null;
  }

  /** Sent before the job is reported done, so it is in Redis by the time the job could be found stalled. */
  keep(job: Job, result: unknown): void {
    const raw = JSON.stringify({ queuedAt: job.data.queuedAt, result });
    this.here.delete(job.id!);
    this.here.set(job.id!, raw);
    for (const oldest of this.here.keys()) if (this.here.size > KEPT_HERE) this.here.delete(oldest);
    void this.redis.set(resultKey(this.q, job.id!), raw, 'EX', KEPT_IN_REDIS_SECONDS).catch(() => {});
  }
}
