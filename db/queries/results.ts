import { and, desc, eq, inArray, isNotNull, isNull, notInArray } from 'drizzle-orm';
import { printableOrNull } from '../../lib/printable.ts';
import { computeStats } from '../../lib/stats.ts';
import { summariseUsage, type MemoryMeter, type RunUsage } from '../../lib/usage.ts';
import { ofSeason, prepared, type Db } from '../client.ts';
import type { StoredRun } from '../../lib/plan.ts';
import { dayHistory, dayResults } from '../schema.ts';

export type DayResultRow = typeof dayResults.$inferSelect;
/** A result to store; the sample count is derived from the samples, and a new result is never a removed day's. */
export type DayResultInput = Omit<DayResultRow, 'sampleCount' | 'env' | 'removedAt' | 'stopReason' | UsageColumn> &
  { env?: string | null; stopReason?: string | null } & Partial<Pick<DayResultRow, UsageColumn>>;
type UsageColumn = 'usage' | 'peakMemoryKb' | 'memoryLowKb' | 'memoryHighKb' | 'userMs' | 'sysMs' | 'memoryMeter';

export const HISTORY_KEEP = 10;

/**
 * A result's samples as stored (rounded to the nanosecond) and the statistics
 * stored beside them, from the samples alone; with each sample's memory and
 * CPU time when the executor measured them (one per sample, or none at all).
 */
export function sampleColumns(samplesMs: number[], usage: RunUsage[] = [], meter: MemoryMeter | null = null) {
  const s = computeStats(samplesMs);
  const u = usage.length === samplesMs.length ? summariseUsage(usage) : null;
  const us = (x: number) => Math.round(x * 1000) / 1000;
  return {
    samples: JSON.stringify(samplesMs.map((x) => Math.round(x * 1e6) / 1e6)),
    medianMs: s?.median ?? null, meanMs: s?.mean ?? null, minMs: s?.min ?? null, maxMs: s?.max ?? null,
    stddevMs: s?.stddev ?? null, ciLowMs: s?.ciLow ?? null, ciHighMs: s?.ciHigh ?? null,
    usage: u ? JSON.stringify(usage.map((x) => [x.peakKb, us(x.userMs), us(x.sysMs)])) : null,
    peakMemoryKb: u?.peakMemoryKb ?? null, memoryLowKb: u?.memoryLowKb ?? null, memoryHighKb: u?.memoryHighKb ?? null,
    userMs: u?.userMs ?? null, sysMs: u?.sysMs ?? null, memoryMeter: u ? meter : null,
  };
}

export function getDayResult(db: Db, participantId: number, day: number): DayResultRow | undefined {
  return db
    .select()
    .from(dayResults)
    .where(and(eq(dayResults.participantId, participantId), eq(dayResults.day, day)))
    .get();
}

/**
 * Replaces the day's result in one transaction, moving the old one into the
 * history and keeping the newest `keep` there: a killed runner leaves either
 * the old result or the new one, never half of either.
 */
export function saveDayResult(db: Db, row: DayResultInput, keep = HISTORY_KEEP): void {
  db.transaction((tx) => {
    const where = and(eq(dayResults.participantId, row.participantId), eq(dayResults.day, row.day));
    const old = tx.select().from(dayResults).where(where).get();
    if (old) {
      const { removedAt: _, ...previous } = old;
      tx.insert(dayHistory).values(previous).run();
      const kept = tx
        .select({ id: dayHistory.id })
        .from(dayHistory)
        .where(and(eq(dayHistory.participantId, row.participantId), eq(dayHistory.day, row.day)))
        .orderBy(desc(dayHistory.runAt), desc(dayHistory.id))
        .limit(keep)
        .all()
        .map((r) => r.id);
      tx.delete(dayHistory)
        .where(and(eq(dayHistory.participantId, row.participantId), eq(dayHistory.day, row.day), notInArray(dayHistory.id, kept)))
        .run();
      tx.delete(dayResults).where(where).run();
    }
    // A solution's output and messages are stored for display: control characters made visible.
    const text = { message: printableOrNull(row.message), runonceOutput: printableOrNull(row.runonceOutput), checkOutput: printableOrNull(row.checkOutput) };
    tx.insert(dayResults).values({ ...row, ...text, sampleCount: (JSON.parse(row.samples) as unknown[]).length }).run();
  });
}

/** What the planner compares a day with (lib/plan.ts): its stored run's key and how long it took. Every participant, every cycle: prepared once. */
export function storedRuns(db: Db, participantId: number): Map<number, StoredRun> {
  const rows = prepared(db, 'SELECT day, version, input_version AS inputVersion, image_id AS imageId, duration_ms AS durationMs FROM day_results WHERE participant_id = ?').all(participantId) as Array<StoredRun & { day: number }>;
  return new Map(rows.map(({ day, ...run }) => [day, run]));
}

export function listDayResults(db: Db, participantIds?: number[]): DayResultRow[] {
  return db.select().from(dayResults).where(participantIds ? inArray(dayResults.participantId, participantIds) : ofSeason(db, dayResults.participantId)).orderBy(dayResults.participantId, dayResults.day).all();
}

export function listDayHistory(db: Db, participantId: number, day: number): Array<typeof dayHistory.$inferSelect> {
  return db
    .select()
    .from(dayHistory)
    .where(and(eq(dayHistory.participantId, participantId), eq(dayHistory.day, day)))
    .orderBy(desc(dayHistory.runAt), desc(dayHistory.id))
    .all();
}

export function listAllHistory(db: Db, participantIds?: number[]): Array<typeof dayHistory.$inferSelect> {
  return db.select().from(dayHistory).where(participantIds ? inArray(dayHistory.participantId, participantIds) : ofSeason(db, dayHistory.participantId)).orderBy(dayHistory.participantId, dayHistory.day, desc(dayHistory.runAt), desc(dayHistory.id)).all();
}

/**
 * After a sync: the participant's stored days that its repository no longer
 * has (a force-push) are marked removed, kept as history and out of points;
 * a day that came back loses the mark. Days not looked at (outside the
 * season's days) are left as they are. Writes only what changes.
 */
export function markRemovedDays(db: Db, participantId: number, days: Array<{ day: number; exists: boolean }>, now = Date.now()): { removed: number[]; restored: number[] } {
  // Every participant, every cycle, nearly always with nothing to change: the read is prepared once (db/client.ts).
  return db.$client.transaction(() => {
    const rows = prepared(db, 'SELECT day, removed_at AS removedAt FROM day_results WHERE participant_id = ?').all(participantId) as Array<{ day: number; removedAt: number | null }>;
    const exists = new Map(days.map((d) => [d.day, d.exists]));
    const removed = rows.filter((r) => exists.get(r.day) === false && r.removedAt === null).map((r) => r.day);
    const restored = rows.filter((r) => exists.get(r.day) === true && r.removedAt !== null).map((r) => r.day);
    if (!removed.length && !restored.length) return { removed, restored };
    const mine = eq(dayResults.participantId, participantId);
    if (removed.length) db.update(dayResults).set({ removedAt: now }).where(and(mine, inArray(dayResults.day, removed), isNull(dayResults.removedAt))).run();
    if (restored.length) db.update(dayResults).set({ removedAt: null }).where(and(mine, inArray(dayResults.day, restored), isNotNull(dayResults.removedAt))).run();
    return { removed, restored };
  }).immediate();
}
