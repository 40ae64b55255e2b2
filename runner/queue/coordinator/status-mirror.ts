import type { Db } from '../../../db/client.ts';
import { saveQueueStatus } from '../../../db/queries/queue-status.ts';
import type { QueueConfig } from '../../../lib/instance-config.ts';
import { Dispatcher } from './dispatch.ts';

const EVERY_MS = 2_000;
/** A worker silent this long is dropped from the mirror (it stays in Redis until it says goodbye or is replaced). */
const FORGET_MS = 10 * 60_000;

/**
 * The coordinator copies the workers' heartbeats and the queue's counts from
 * Redis into SQLite every few seconds: the site reads only SQLite, never Redis.
 */
export function mirrorQueueStatus(q: QueueConfig, db: Db, log: (line: string) => void): { stop(): Promise<void> } {
  const dispatcher = new Dispatcher(q, log);
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const [workers, counts] = await Promise.all([dispatcher.workers(), dispatcher.counts()]);
      const now = Date.now();
      saveQueueStatus(db, {
        workers: workers.filter((w) => now - w.seenAt < FORGET_MS).map((w) => ({ id: w.id, host: w.host, hardwareClass: w.hardwareClass, job: w.job, message: w.message ?? null, startedAt: w.startedAt, seenAt: w.seenAt })),
        counts: { waiting: (counts.waiting ?? 0) + (counts.delayed ?? 0), active: counts.active ?? 0, failed: counts.failed ?? 0 },
      });
    } catch (e) {
      log(`queue status: ${(e as Error).message}`);
    } finally {
      busy = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), EVERY_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      await dispatcher.close();
    },
  };
}
