import { Redis } from 'ioredis';
import { queueUrl, type QueueConfig } from '../../lib/instance-config.ts';
import { RedisOutage } from './outage.ts';

/** The URL without its password, for messages. */
export function redactedUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, (_, auth: string) => `//${auth.includes(':') ? `${auth.split(':')[0]}:***` : '***'}@`);
}

/** Reconnect attempts back off to this: a Redis that returns is seen within seconds. */
const RETRY_CAP_MS = 2_000;

/**
 * How long the coordinator waits for a Redis that is unreachable before the
 * run ends for the jobs it still waits for (they stay queued; the next run
 * takes them up). Workers wait for Redis as long as it takes.
 */
export const giveUpMs = (q: QueueConfig) => Math.max(300, 10 * q.stallSeconds) * 1000;

/**
 * A connection to the queue's Redis that never gives up: commands wait while
 * it is down (BullMQ's workers need that). An outage is said once, and its
 * end once, however many connections (duplicates included) see it.
 */
export function queueConnection(q: QueueConfig, say: (line: string) => void): { redis: Redis; outage: RedisOutage } {
  const url = queueUrl(q, process.env);
  const outage = new RedisOutage(hostPort(url), say);
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(RETRY_CAP_MS, 100 * 2 ** Math.min(attempt, 5)),
  });
  return { redis: outage.watch(redis), outage };
}

function hostPort(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 6379}`;
  } catch {
    return redactedUrl(url);
  }
}
