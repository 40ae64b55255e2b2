import { desc, eq, lt } from 'drizzle-orm';
import { hostname } from 'node:os';
import type { Db } from '../client.ts';
import { runners } from '../schema.ts';

/** How long a runner may stay silent before the site says nobody is running. */
export const RUNNER_STALE_MS = 90_000;

/**
 * How long the runner of a running job may stay silent before the job counts
 * as stopped: it beats every 10 s, so three missed beats mean its process is gone (a `kill -9`).
 */
export const JOB_RUNNER_STALE_MS = 30_000;

/** This process as a runner: `host:pid`, the id its heartbeat and its jobs carry. */
export function runnerId(): string {
  return `${hostname()}:${process.pid}`;
}

export function beat(db: Db, r: { id: string; kind: 'daemon' | 'cli'; startedAt: number }): void {
  const now = Date.now();
  db.insert(runners).values({ ...r, seenAt: now }).onConflictDoUpdate({ target: runners.id, set: { seenAt: now } }).run();
  // Entries of runners gone for a day are no use to anyone.
  db.delete(runners).where(lt(runners.seenAt, now - 86_400_000)).run();
}

/** What keeps this runner from working, or null once nothing does (the banner shows it). */
export function setRunnerProblem(db: Db, id: string, problem: string | null): void {
  db.update(runners).set({ problem }).where(eq(runners.id, id)).run();
}

/** The problems live runners report now: `id`, `kind` and what stops them. */
export function runnerProblems(db: Db, now = Date.now()): Array<{ id: string; kind: string; problem: string }> {
  return db
    .select({ id: runners.id, kind: runners.kind, problem: runners.problem, seenAt: runners.seenAt })
    .from(runners)
    .all()
    .filter((r) => r.problem && now - r.seenAt < RUNNER_STALE_MS)
    .map((r) => ({ id: r.id, kind: r.kind, problem: r.problem! }));
}

export function endRunner(db: Db, id: string): void {
  db.delete(runners).where(eq(runners.id, id)).run();
}

/** The runner heard from last, and whether it still counts as alive. */
export function lastRunner(db: Db): { kind: string; seenAt: number; alive: boolean } | null {
  const r = db.select().from(runners).orderBy(desc(runners.seenAt)).limit(1).get();
  return r ? { kind: r.kind, seenAt: r.seenAt, alive: Date.now() - r.seenAt < RUNNER_STALE_MS } : null;
}

/** When each runner was last heard from. */
export function runnerSeen(db: Db): Map<string, number> {
  return new Map(db.select({ id: runners.id, seenAt: runners.seenAt }).from(runners).all().map((r) => [r.id, r.seenAt]));
}
