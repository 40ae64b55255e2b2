import { and, desc, eq, inArray, isNotNull, max } from 'drizzle-orm';
import type { ExportParticipant } from '../../lib/export.ts';
import type { LbResult } from '../../lib/leaderboard.ts';
import { ofSeason, prepared, type Db } from '../client.ts';
import { cycles, dayHistory, dayResults, health, images, participants, repoUpdates } from '../schema.ts';

/** What the web pages read; every page gets plain objects, never a query builder. */
export interface ParticipantView extends ExportParticipant {
  position: number;
  config: { daypath?: string } | null;
  validationState: string | null;
}

/** A current result as pages list it (samples counted, not loaded). */
export interface ResultView extends LbResult {
  inputSource: string | null;
  /** JSON of lib/env.ts MeasureEnv. */
  env: string | null;
  /** Why the timed runs stopped (lib/run-count.ts); null for older results. */
  stopReason: string | null;
  /** Median peak memory (KiB) and its interval, median CPU time (lib/usage.ts); null where not measured. */
  peakMemoryKb: number | null;
  memoryLowKb: number | null;
  memoryHighKb: number | null;
  userMs: number | null;
  sysMs: number | null;
  memoryMeter: string | null;
}

export interface HistoryView extends ResultView {
  id: number;
}

const resultColumns = {
  participantId: dayResults.participantId,
  day: dayResults.day,
  status: dayResults.status,
  medianMs: dayResults.medianMs,
  meanMs: dayResults.meanMs,
  minMs: dayResults.minMs,
  maxMs: dayResults.maxMs,
  ciLowMs: dayResults.ciLowMs,
  ciHighMs: dayResults.ciHighMs,
  samples: dayResults.sampleCount,
  stopReason: dayResults.stopReason,
  peakMemoryKb: dayResults.peakMemoryKb,
  memoryLowKb: dayResults.memoryLowKb,
  memoryHighKb: dayResults.memoryHighKb,
  userMs: dayResults.userMs,
  sysMs: dayResults.sysMs,
  memoryMeter: dayResults.memoryMeter,
  runAt: dayResults.runAt,
  version: dayResults.version,
  inputSource: dayResults.inputSource,
  env: dayResults.env,
  removedAt: dayResults.removedAt,
};


export function listParticipantViews(db: Db): ParticipantView[] {
  return db
    .select({
      id: participants.id, name: participants.name, dirName: participants.dirName, repo: participants.repo,
      branch: participants.branch, subheading: participants.subheading, language: participants.language,
      position: participants.position, config: participants.config, validationState: participants.validationState,
    })
    .from(participants)
    .where(db.season === undefined ? undefined : eq(participants.season, db.season))
    .orderBy(participants.position, participants.name)
    .all()
    .map((p) => ({ ...p, config: p.config ? (JSON.parse(p.config) as { daypath?: string }) : null }));
}

export function listResultViews(db: Db, day?: number): ResultView[] {
  return db.select(resultColumns).from(dayResults).where(and(day === undefined ? undefined : eq(dayResults.day, day), ofSeason(db, dayResults.participantId))).all();
}

/** The current results of some participants (a window of the board, or one participant). */
export function listResultViewsOf(db: Db, participantIds: number[]): ResultView[] {
  if (!participantIds.length) return [];
  return db.select(resultColumns).from(dayResults).where(inArray(dayResults.participantId, participantIds)).all();
}

/** Previous results of every day (newest first), without their samples. */
export function listHistoryViews(db: Db, participantId?: number): HistoryView[] {
  const cols = {
    id: dayHistory.id, participantId: dayHistory.participantId, day: dayHistory.day, status: dayHistory.status,
    medianMs: dayHistory.medianMs, meanMs: dayHistory.meanMs, minMs: dayHistory.minMs, maxMs: dayHistory.maxMs,
    ciLowMs: dayHistory.ciLowMs, ciHighMs: dayHistory.ciHighMs, samples: dayHistory.sampleCount, stopReason: dayHistory.stopReason,
    peakMemoryKb: dayHistory.peakMemoryKb, memoryLowKb: dayHistory.memoryLowKb, memoryHighKb: dayHistory.memoryHighKb,
    userMs: dayHistory.userMs, sysMs: dayHistory.sysMs, memoryMeter: dayHistory.memoryMeter,
    runAt: dayHistory.runAt, version: dayHistory.version, inputSource: dayHistory.inputSource, env: dayHistory.env,
  };
  return db.select(cols).from(dayHistory).where(participantId === undefined ? ofSeason(db, dayHistory.participantId) : eq(dayHistory.participantId, participantId))
    .orderBy(desc(dayHistory.runAt), desc(dayHistory.id))
    .all();
}

/** The newest previous result of a (participant, day): what the grid's ↺ mark needs. */
export interface HistoryPresence {
  participantId: number; day: number; runAt: number; version: string; status: string;
  medianMs: number | null; meanMs: number | null; minMs: number | null; maxMs: number | null;
}

/**
 * The newest previous result of every day of some participants (a window of
 * the grid), one row each instead of their whole history.
 */
export function listHistoryPresenceOf(db: Db, participantIds: number[]): HistoryPresence[] {
  if (!participantIds.length) return [];
  return db.$client
    .prepare(
      `SELECT participant_id AS participantId, day, max(run_at) AS runAt, version, status, median_ms AS medianMs, mean_ms AS meanMs, min_ms AS minMs, max_ms AS maxMs FROM day_history WHERE participant_id IN (${participantIds.map(() => '?').join(',')}) GROUP BY participant_id, day`,
    )
    .all(...participantIds) as HistoryPresence[];
}

/** `participantId/day` of days the runner last saw marked work in progress. */
export function listWipDays(db: Db): Set<string> {
  const rows = db
    .select({ participantId: health.participantId, day: health.day })
    .from(health)
    .where(and(eq(health.topic, 'day'), eq(health.wip, true), ofSeason(db, health.participantId)))
    .all();
  return new Set(rows.map((r) => `${r.participantId}/${r.day}`));
}

/** Participants whose transcrypt inputs could not be decrypted at the last sync. */
export function listUndecrypted(db: Db): Set<number> {
  const rows = db.select({ id: health.participantId }).from(health).where(and(eq(health.topic, 'decrypt'), eq(health.level, 'error'), ofSeason(db, health.participantId))).all();
  return new Set(rows.map((r) => r.id));
}

/** The earliest of a participant's steps that failed at its last check, as its leaderboard column names it. */
export interface ParticipantProblem {
  topic: 'repo' | 'config' | 'image';
  label: 'repo unreachable' | 'repo refused' | 'config error' | 'build failed' | 'image missing';
}

const STEP_ORDER = ['repo', 'config', 'image'] as const;

/** Participants whose clone, config or image failed at the last run: each one's first failing step. */
export function listParticipantProblems(db: Db): Map<number, ParticipantProblem> {
  const rows = db
    .select({ id: health.participantId, topic: health.topic, kind: images.kind, message: health.message })
    .from(health)
    .leftJoin(images, eq(images.participantId, health.participantId))
    .where(and(eq(health.day, 0), eq(health.level, 'error'), inArray(health.topic, [...STEP_ORDER]), ofSeason(db, health.participantId)))
    .all();
  const out = new Map<number, ParticipantProblem>();
  for (const topic of STEP_ORDER) {
    for (const r of rows.filter((x) => x.topic === topic && !out.has(x.id))) {
      // A repository git could read but aocbench refused (a git bomb, a file:// submodule) is not unreachable.
      const label = topic === 'repo' ? (r.message.startsWith('Repository refused') ? 'repo refused' : 'repo unreachable') : topic === 'config' ? 'config error' : r.kind === 'image' ? 'image missing' : 'build failed';
      out.set(r.id, { topic, label });
    }
  }
  return out;
}

/** Changes whenever another connection (the runner) commits: the web process's cache key. */
export function dataVersion(db: Db): number {
  return db.$client.pragma('data_version', { simple: true }) as number;
}

/** Every stored sample of the current results, for sparklines and raw data. */
/** The samples of some participants' results of one day (what a ranking page draws): only those rows are read and parsed. */
export function samplesOf(db: Db, day: number, participantIds: number[]): Map<number, number[]> {
  if (!participantIds.length) return new Map();
  const rows = db
    .select({ participantId: dayResults.participantId, samples: dayResults.samples })
    .from(dayResults)
    .where(and(eq(dayResults.day, day), inArray(dayResults.participantId, participantIds)))
    .all();
  return new Map(rows.map((r) => [r.participantId, JSON.parse(r.samples) as number[]]));
}

export function lastUpdate(db: Db): number | null {
  const r = db.select({ at: max(cycles.finishedAt) }).from(cycles).where(isNotNull(cycles.finishedAt)).get();
  return r?.at ?? null;
}

export function latestHardware(db: Db): { at: number; hardware: Record<string, unknown> } | null {
  const r = db.select({ at: cycles.startedAt, hardware: cycles.hardware }).from(cycles).where(isNotNull(cycles.hardware)).orderBy(desc(cycles.id)).limit(1).get();
  return r?.hardware ? { at: r.at, hardware: JSON.parse(r.hardware) as Record<string, unknown> } : null;
}

export interface HealthView {
  participant: ParticipantView;
  repoUpdate: typeof repoUpdates.$inferSelect | null;
  image: typeof images.$inferSelect | null;
  validationMessages: string[];
  messages: Array<typeof health.$inferSelect>;
  results: Array<typeof dayResults.$inferSelect>;
}

/** Every participant's health in five queries (the health page of a large board), by participant id. */
export function healthViews(db: Db): Map<number, Omit<HealthView, 'participant'>> {
  const out = new Map<number, Omit<HealthView, 'participant'>>();
  for (const p of db.select({ id: participants.id, m: participants.validationMessages }).from(participants).where(db.season === undefined ? undefined : eq(participants.season, db.season)).all()) {
    out.set(p.id, { repoUpdate: null, image: null, validationMessages: p.m ? (JSON.parse(p.m) as string[]) : [], messages: [], results: [] });
  }
  for (const u of db.select().from(repoUpdates).where(ofSeason(db, repoUpdates.participantId)).all()) if (out.has(u.participantId)) out.get(u.participantId)!.repoUpdate = u;
  for (const i of db.select().from(images).where(ofSeason(db, images.participantId)).all()) if (out.has(i.participantId)) out.get(i.participantId)!.image = i;
  for (const m of db.select().from(health).where(ofSeason(db, health.participantId)).orderBy(health.participantId, health.day, health.topic).all()) out.get(m.participantId)?.messages.push(m);
  for (const r of db.select().from(dayResults).where(ofSeason(db, dayResults.participantId)).orderBy(dayResults.participantId, dayResults.day).all()) out.get(r.participantId)?.results.push(r);
  return out;
}

export function healthView(db: Db, participantId: number): Omit<HealthView, 'participant'> {
  const p = db.select({ m: participants.validationMessages }).from(participants).where(eq(participants.id, participantId)).get();
  return {
    repoUpdate: db.select().from(repoUpdates).where(eq(repoUpdates.participantId, participantId)).get() ?? null,
    image: db.select().from(images).where(eq(images.participantId, participantId)).get() ?? null,
    validationMessages: p?.m ? (JSON.parse(p.m) as string[]) : [],
    messages: db.select().from(health).where(eq(health.participantId, participantId)).orderBy(health.day, health.topic).all(),
    results: db.select().from(dayResults).where(eq(dayResults.participantId, participantId)).orderBy(dayResults.day).all(),
  };
}
