import { desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { runners } from '../schema.ts';

/** How long a runner may stay silent before the site says nobody is running. */
export const RUNNER_STALE_MS = 90_000;

export function beat(db: Db, r: { id: string; kind: 'daemon' | 'cli'; startedAt: number }): void {
  const now = Date.now();
  db.insert(runners).values({ ...r, seenAt: now }).onConflictDoUpdate({ target: runners.id, set: { seenAt: now } }).run();
  // Entries of runners gone for a day are no use to anyone.
  db.delete(runners).where(lt(runners.seenAt, now - 86_400_000)).run();
}

export function endRunner(db: Db, id: string): void {
  db.delete(runners).where(eq(runners.id, id)).run();
}

/** The runner heard from last, and whether it still counts as alive. */
export function lastRunner(db: Db): { kind: string; seenAt: number; alive: boolean } | null {
  const r = db.select().from(runners).orderBy(desc(runners.seenAt)).limit(1).get();
  return r ? { kind: r.kind, seenAt: r.seenAt, alive: Date.now() - r.seenAt < RUNNER_STALE_MS } : null;
}
