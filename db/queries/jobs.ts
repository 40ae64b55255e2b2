import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { jobs } from '../schema.ts';

export type JobRow = typeof jobs.$inferSelect;
export type JobKind = 'cycle' | 'bench' | 'matrix';

/** `requestedBy` of a run started on the command line (not queued: `aocbench trigger` queues as "cli"). */
export const COMMAND_LINE_RUN = 'command line';

export function enqueueJob(db: Db, j: { kind: JobKind; participant?: string | null; day?: number | null; force?: boolean; requestedBy: string }): number {
  return db
    .insert(jobs)
    .values({ kind: j.kind, participant: j.participant ?? null, day: j.day ?? null, force: j.force ?? false, requestedBy: j.requestedBy, createdAt: Date.now() })
    .returning({ id: jobs.id })
    .get().id;
}

/** A run started outside the queue (`aocbench bench` on the command line): recorded as running, so the site shows it. */
export function startJob(db: Db, j: { kind: JobKind; participant?: string | null; day?: number | null; force?: boolean; requestedBy: string }): number {
  const now = Date.now();
  return db
    .insert(jobs)
    .values({ kind: j.kind, participant: j.participant ?? null, day: j.day ?? null, force: j.force ?? false, requestedBy: j.requestedBy, createdAt: now, status: 'running', startedAt: now })
    .returning({ id: jobs.id })
    .get().id;
}

/** The oldest queued job, marked running in the same transaction. */
export function claimNextJob(db: Db): JobRow | null {
  return db.transaction((tx) => {
    const next = tx.select().from(jobs).where(eq(jobs.status, 'queued')).orderBy(jobs.id).limit(1).get();
    if (!next) return null;
    tx.update(jobs).set({ status: 'running', startedAt: Date.now(), progress: null }).where(eq(jobs.id, next.id)).run();
    return { ...next, status: 'running', startedAt: Date.now() };
  });
}

export function finishJob(db: Db, id: number, status: 'done' | 'failed' | 'interrupted', message: string | null): void {
  db.update(jobs).set({ status, message, finishedAt: Date.now() }).where(eq(jobs.id, id)).run();
}

export function setJobProgress(db: Db, id: number, progress: string): void {
  db.update(jobs).set({ progress }).where(eq(jobs.id, id)).run();
}

/**
 * After a crash or a SIGTERM: the queue's running and interrupted jobs go back
 * to the queue, in their order. Command-line runs are not the queue's: one may
 * still be running in its own process.
 */
export function requeueInterrupted(db: Db): number {
  return db
    .update(jobs)
    .set({ status: 'queued', startedAt: null, progress: null })
    .where(and(inArray(jobs.status, ['running', 'interrupted']), sql`${jobs.requestedBy} <> ${COMMAND_LINE_RUN}`))
    .run().changes;
}

export function cancelJob(db: Db, id: number): boolean {
  return db.update(jobs).set({ status: 'cancelled', finishedAt: Date.now() }).where(and(eq(jobs.id, id), eq(jobs.status, 'queued'))).run().changes > 0;
}

export function hasQueued(db: Db, kind: JobKind): boolean {
  return db.select({ id: jobs.id }).from(jobs).where(and(eq(jobs.status, 'queued'), eq(jobs.kind, kind))).get() !== undefined;
}

export function listJobs(db: Db, limit = 50): JobRow[] {
  return db.select().from(jobs).orderBy(desc(jobs.id)).limit(limit).all();
}

export function queueState(db: Db): { running: JobRow | null; queued: number; oldestQueuedAt: number | null } {
  const running = db.select().from(jobs).where(eq(jobs.status, 'running')).orderBy(desc(jobs.id)).limit(1).get() ?? null;
  const q = db.select({ n: sql<number>`count(*)`, oldest: sql<number | null>`min(${jobs.createdAt})` }).from(jobs).where(eq(jobs.status, 'queued')).get();
  return { running, queued: q?.n ?? 0, oldestQueuedAt: q?.oldest ?? null };
}

/** Median duration of finished jobs of a kind, for the ETA of a running one. */
export function typicalDurationMs(db: Db, kind: string): number | null {
  const rows = db
    .select({ d: sql<number>`${jobs.finishedAt} - ${jobs.startedAt}` })
    .from(jobs)
    .where(and(eq(jobs.kind, kind), eq(jobs.status, 'done')))
    .orderBy(desc(jobs.id))
    .limit(9)
    .all()
    .map((r) => r.d)
    .sort((a, b) => a - b);
  return rows.length ? rows[Math.floor(rows.length / 2)] : null;
}
