import { max } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { dayResults } from '../schema.ts';
import { queueState } from './jobs.ts';
import { lastRunner } from './runners.ts';
import { dataVersion } from './views.ts';

/** What an open page needs to know to decide whether to re-render, for /api/status and /api/events alike. */
export interface LiveStatus {
  /** The content version: changes when results, health or the queue's shape change (not on heartbeats or progress lines). */
  version: string;
  /** When the newest result was stored (ms). */
  resultsAt: number;
  running: { id: number; kind: string; since: number | null; progress: string | null; participant: string | null } | null;
  queued: number;
  oldestQueuedAt: number | null;
  runner: ReturnType<typeof lastRunner>;
}

/** The counter the content_version triggers bump; the same number whichever connection reads it. */
export function contentVersion(db: Db): number {
  return (db.$client.prepare('select n from content_version where id = 1').pluck().get() as number | undefined) ?? 0;
}

/**
 * The content version, read again only when SQLite's data_version (a counter
 * in memory, no table read) says another connection committed. Writes of the
 * caller's own connection are not seen: call `reset` after them.
 */
export function contentWatch(db: Db): { version(): number; reset(): void } {
  let seen: number | null = null;
  let n = 0;
  return {
    version() {
      const v = dataVersion(db);
      if (v !== seen) {
        seen = v;
        n = contentVersion(db);
      }
      return n;
    },
    reset() {
      seen = null;
    },
  };
}

export function liveStatus(db: Db): LiveStatus {
  const q = queueState(db);
  const r = q.running;
  return {
    version: String(contentVersion(db)),
    resultsAt: db.select({ at: max(dayResults.runAt) }).from(dayResults).get()?.at ?? 0,
    running: r ? { id: r.id, kind: r.kind, since: r.startedAt, progress: r.progress, participant: r.participant } : null,
    queued: q.queued,
    oldestQueuedAt: q.oldestQueuedAt,
    runner: lastRunner(db),
  };
}
