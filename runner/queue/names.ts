import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { QueueConfig } from '../../lib/instance-config.ts';
import type { WorkerStatus } from './payload.ts';

/**
 * One queue per hardware class, for timed and matrix jobs alike: a worker
 * takes only its class's jobs, and one at a time.
 */
export const jobsQueueName = (hardwareClass: string) => `jobs-${hardwareClass}`;

export const queueOptions = (q: QueueConfig) => ({ prefix: q.prefix });

/**
 * Job ids name what is measured, so triggering the same work twice finds the
 * job already there: BullMQ adds nothing for an id it holds.
 */
export function jobId(kind: 'time' | 'matrix', parts: Array<string | number>): string {
  // BullMQ keeps ':' for itself; a hash keeps ids short and free of names' characters.
  return `${kind}-${createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32)}`;
}

/** Set once a coordinator stored a job's result (value: the job's queuedAt): another run waiting for the job knows it is not lost. */
export const storedKey = (q: QueueConfig, id: string) => `${q.prefix}:stored:${id}`;

/** A worker's result for a job (value: queuedAt and result), kept until stored: a job queued again after Redis lost it is not timed again. */
export const resultKey = (q: QueueConfig, id: string) => `${q.prefix}:result:${id}`;

/** Workers announce themselves in this hash (field: host:pid) with their class, job and last heartbeat. */
export const workersKey = (q: QueueConfig) => `${q.prefix}:workers`;

/** Every worker that announced itself, with its class, current job and last heartbeat. */
export async function readWorkers(redis: Redis, q: QueueConfig): Promise<WorkerStatus[]> {
  return Object.values(await redis.hgetall(workersKey(q))).map((v) => JSON.parse(v) as WorkerStatus);
}
