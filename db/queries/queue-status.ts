import { desc } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { queueCounts, queueWorkers } from '../schema.ts';

export interface QueueWorkerRow {
  id: string;
  host: string;
  hardwareClass: string;
  job: string | null;
  message: string | null;
  startedAt: number;
  seenAt: number;
}

export interface QueueStatus {
  workers: QueueWorkerRow[];
  counts: { waiting: number; active: number; failed: number; updatedAt: number } | null;
}

/** Replaces the mirror of the queue's workers and counts with what the coordinator just read from Redis. */
export function saveQueueStatus(db: Db, s: { workers: QueueWorkerRow[]; counts: { waiting: number; active: number; failed: number } }): void {
  db.transaction((tx) => {
    tx.delete(queueWorkers).run();
    if (s.workers.length) tx.insert(queueWorkers).values(s.workers).run();
    const row = { id: 1, ...s.counts, updatedAt: Date.now() };
    tx.insert(queueCounts).values(row).onConflictDoUpdate({ target: queueCounts.id, set: row }).run();
  });
}

export function queueStatus(db: Db): QueueStatus {
  return {
    workers: db.select().from(queueWorkers).orderBy(desc(queueWorkers.seenAt)).all(),
    counts: db.select().from(queueCounts).get() ?? null,
  };
}
