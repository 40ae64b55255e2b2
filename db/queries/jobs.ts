import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { printableLine, printableOrNull } from '../../lib/printable.ts';
import { checkRunRequest, type RunRequest } from '../../lib/trigger.ts';
import { seasonKey, type Db } from '../client.ts';
import { jobs } from '../schema.ts';
import { JOB_RUNNER_STALE_MS, lastRunner, runnerId, runnerSeen } from './runners.ts';

export type JobRow = typeof jobs.$inferSelect;
export type JobKind = 'cycle' | 'bench' | 'matrix';
export interface JobRequest {
  kind: JobKind;
  participant?: string | null;
  day?: number | null;
  force?: boolean;
  requestedBy: string;
}

/** `requestedBy` of a run started on the command line (not queued: `aocbench trigger` queues as "cli"). */
export const COMMAND_LINE_RUN = 'command line';

/**
 * A run someone asked for (`aocbench trigger`, the admin form, the API):
 * checked against the instance's participants and days, then queued (joining
 * the same work already queued). The one way a requested run reaches the queue.
 */
export function requestRun(
  db: Db,
  instance: { participants: Array<{ name: string }>; days: number },
  body: unknown,
  requestedBy: string,
): { ok: true; id: number; value: RunRequest } | { ok: false; status: 400; error: string } {
  const checked = checkRunRequest(body, { participants: instance.participants.map((p) => p.name), days: instance.days });
  if (!checked.ok) return checked;
  return { ok: true, id: enqueueJob(db, { ...checked.value, requestedBy }), value: checked.value };
}

/**
 * Queues a job and returns its id, or the id of the job already queued (not
 * yet running) for the same work: same kind, participant and day. A forced
 * request makes that job forced. So a storm of webhooks for one repository
 * is one job, not one per delivery. Immediate: the look and the insert are
 * one write transaction, so two requests at once cannot both insert.
 */
export function enqueueJob(db: Db, j: JobRequest): number {
  const participant = j.participant ?? null;
  const day = j.day ?? null;
  const force = j.force ?? false;
  return db.transaction(
    (tx) => {
      const same = tx
        .select({ id: jobs.id, force: jobs.force })
        .from(jobs)
        .where(and(eq(jobs.status, 'queued'), eq(jobs.kind, j.kind), eq(jobs.season, seasonKey(db)), sql`${jobs.participant} is ${participant}`, sql`${jobs.day} is ${day}`))
        .orderBy(jobs.id)
        .limit(1)
        .get();
      if (same) {
        if (force && !same.force) tx.update(jobs).set({ force: true }).where(eq(jobs.id, same.id)).run();
        return same.id;
      }
      return tx.insert(jobs).values({ kind: j.kind, season: seasonKey(db), participant, day, force, requestedBy: j.requestedBy, createdAt: Date.now() }).returning({ id: jobs.id }).get().id;
    },
    { behavior: 'immediate' },
  );
}

/** A run started outside the queue (`aocbench bench` on the command line): recorded as running, so the site shows it. */
export function startJob(db: Db, j: JobRequest, runner = runnerId()): number {
  const now = Date.now();
  return db
    .insert(jobs)
    .values({ kind: j.kind, season: seasonKey(db), participant: j.participant ?? null, day: j.day ?? null, force: j.force ?? false, requestedBy: j.requestedBy, createdAt: now, status: 'running', startedAt: now, runner })
    .returning({ id: jobs.id })
    .get().id;
}

/**
 * The next queued job, marked running (by `runner`) in the same transaction.
 * Fair between participants: the job whose participant (or "everyone") was
 * served longest ago goes first, then the oldest. One participant's jobs
 * never hold another's push back by more than one job.
 */
export function claimNextJob(db: Db, runner = runnerId()): JobRow | null {
  // The daemon asks every second: the write lock only when there is something to claim.
  if (!db.select({ id: jobs.id }).from(jobs).where(eq(jobs.status, 'queued')).limit(1).get()) return null;
  const lastServed = sql`(select max(k.started_at) from jobs k where k.participant is ${jobs.participant})`;
  return db.transaction(
    (tx) => {
      const next = tx.select().from(jobs).where(eq(jobs.status, 'queued')).orderBy(sql`${lastServed} asc nulls first`, jobs.id).limit(1).get();
      if (!next) return null;
      const startedAt = Date.now();
      tx.update(jobs).set({ status: 'running', startedAt, finishedAt: null, message: null, progress: null, runner }).where(eq(jobs.id, next.id)).run();
      return { ...next, status: 'running', startedAt, finishedAt: null, message: null, progress: null, runner };
    },
    { behavior: 'immediate' },
  );
}

export function finishJob(db: Db, id: number, status: 'done' | 'failed' | 'interrupted', message: string | null): void {
  db.update(jobs).set({ status, message: printableOrNull(message), finishedAt: Date.now() }).where(eq(jobs.id, id)).run();
}

export function setJobProgress(db: Db, id: number, progress: string): void {
  db.update(jobs).set({ progress: printableLine(progress) }).where(eq(jobs.id, id)).run();
}

/**
 * Whether a running job's process is still there: its runner beat within
 * JOB_RUNNER_STALE_MS (a job just started gets as long to show its first
 * beat). Jobs from before runners were recorded follow the last runner.
 */
export function jobAlive(job: Pick<JobRow, 'runner' | 'startedAt'>, seen: Map<string, number>, anyRunnerAlive: boolean, now = Date.now()): boolean {
  if (!job.runner) return anyRunnerAlive;
  return now - (seen.get(job.runner) ?? job.startedAt ?? 0) < JOB_RUNNER_STALE_MS;
}

/** A predicate over running jobs: is its process still there (see jobAlive)? */
export function livenessCheck(db: Db, now = Date.now()): (job: Pick<JobRow, 'runner' | 'startedAt'>) => boolean {
  const seen = runnerSeen(db);
  const any = lastRunner(db)?.alive ?? false;
  return (job) => jobAlive(job, seen, any, now);
}

/** Running jobs whose process stopped (a `kill -9`) are recorded as interrupted, saying so. */
export function endOrphanedJobs(db: Db, now = Date.now()): number {
  const alive = livenessCheck(db, now);
  const dead = db.select().from(jobs).where(eq(jobs.status, 'running')).all().filter((j) => !alive(j));
  for (const j of dead) {
    db.update(jobs)
      .set({ status: 'interrupted', finishedAt: now, message: `its process${j.runner ? ` (${j.runner})` : ''} stopped without finishing it` })
      .where(and(eq(jobs.id, j.id), eq(jobs.status, 'running')))
      .run();
  }
  return dead.length;
}

/**
 * After a crash or a SIGTERM: the queue's running and interrupted jobs go back
 * to the queue, in their order, as if never run (no old message, start or end).
 * A command-line run is not the queue's: it stays running while its process
 * beats (it runs in its own process), and is recorded as interrupted once that stopped.
 */
export function requeueInterrupted(db: Db): number {
  const cli = sql`${jobs.requestedBy} = ${COMMAND_LINE_RUN}`;
  const alive = livenessCheck(db);
  for (const j of db.select().from(jobs).where(and(eq(jobs.status, 'running'), cli)).all()) {
    if (!alive(j)) finishJob(db, j.id, 'interrupted', `its process${j.runner ? ` (${j.runner})` : ''} stopped without finishing it`);
  }
  return db
    .update(jobs)
    .set({ status: 'queued', startedAt: null, finishedAt: null, progress: null, message: null, runner: null })
    .where(and(inArray(jobs.status, ['running', 'interrupted']), sql`not ${cli}`))
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

/**
 * The queue as pages show it. `running` is a job whose process is alive;
 * `stopped` one still recorded as running whose process is gone, which no
 * page may show as in progress.
 */
export function queueState(db: Db, now = Date.now()): { running: JobRow | null; stopped: JobRow | null; queued: number; oldestQueuedAt: number | null } {
  const alive = livenessCheck(db, now);
  const rows = db.select().from(jobs).where(eq(jobs.status, 'running')).orderBy(desc(jobs.id)).all();
  const q = db.select({ n: sql<number>`count(*)`, oldest: sql<number | null>`min(${jobs.createdAt})` }).from(jobs).where(eq(jobs.status, 'queued')).get();
  return { running: rows.find(alive) ?? null, stopped: rows.find((r) => !alive(r)) ?? null, queued: q?.n ?? 0, oldestQueuedAt: q?.oldest ?? null };
}

/** How long a job ran (or runs, at `now`); null when it has not started. */
export function jobDurationMs(job: Pick<JobRow, 'status' | 'startedAt' | 'finishedAt'>, now = Date.now()): number | null {
  if (!job.startedAt) return null;
  const end = job.status === 'running' ? now : job.finishedAt;
  return end !== null && end >= job.startedAt ? end - job.startedAt : null;
}
