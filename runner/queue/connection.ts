import { Redis } from 'ioredis';
import { queueUrl, type QueueConfig } from '../../lib/instance-config.ts';

/** The URL without its password, for messages. */
export function redactedUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, (_, auth: string) => `//${auth.includes(':') ? `${auth.split(':')[0]}:***` : '***'}@`);
}

/**
 * A connection to the queue's Redis that never gives up: commands wait while
 * it is down (BullMQ's workers need that), and each retry is announced with
 * its back-off, so a worker that cannot reach the queue says so.
 */
export function queueConnection(q: QueueConfig, onProblem: (message: string) => void): Redis {
  const url = queueUrl(q, process.env);
  const where = redactedUrl(url);
  let lastError = '';
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => {
      const ms = Math.min(30_000, 250 * 2 ** Math.min(attempt, 7));
      onProblem(`cannot reach the queue at ${where}${lastError ? ` (${lastError})` : ''}; retrying in ${(ms / 1000).toFixed(1)} s`);
      return ms;
    },
  });
  redis.on('error', (e: Error) => {
    lastError = e.message;
  });
  return redis;
}
