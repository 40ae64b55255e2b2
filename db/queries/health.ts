import { eq } from 'drizzle-orm';
import { printable, printableOrNull } from '../../lib/printable.ts';
import { ofSeason, prepared, type Db } from '../client.ts';
import { health } from '../schema.ts';

export type HealthLevel = 'ok' | 'warning' | 'error';
export type HealthRow = typeof health.$inferSelect;

// Written for every participant and topic every cycle: prepared once (db/client.ts). The same message again is not
// rewritten: a cycle in which nothing changed writes nothing here (`at` stays when it first said so).
const SET = `INSERT INTO health (participant_id, day, topic, level, message, detail, wip, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (participant_id, day, topic) DO UPDATE SET level = excluded.level, message = excluded.message, detail = excluded.detail, wip = excluded.wip, at = excluded.at
  WHERE level IS NOT excluded.level OR message IS NOT excluded.message OR detail IS NOT excluded.detail OR wip IS NOT excluded.wip`;
const CLEAR = 'DELETE FROM health WHERE participant_id = ? AND day = ? AND topic = ?';

/**
 * Sets the participant's (day 0) or a day's message for a topic, replacing the
 * previous one. Messages and details carry participant text (file names, keys,
 * outputs, logs): stored with control characters made visible, for whoever reads them.
 */
export function setHealth(
  db: Db,
  participantId: number,
  day: number,
  topic: string,
  level: HealthLevel,
  message: string,
  detail?: string | null,
  /** A `day` row: the day is marked work in progress. */
  wip = false,
): void {
  prepared(db, SET).run(participantId, day, topic, level, printable(message), printableOrNull(detail ?? null), wip ? 1 : 0, Date.now());
}

export function clearHealth(db: Db, participantId: number, day: number, topic: string): void {
  prepared(db, CLEAR).run(participantId, day, topic);
}

export function listHealth(db: Db, participantId?: number): HealthRow[] {
  return db.select().from(health).where(participantId === undefined ? ofSeason(db, health.participantId) : eq(health.participantId, participantId)).orderBy(health.participantId, health.day).all();
}
