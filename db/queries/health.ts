import { and, eq, sql } from 'drizzle-orm';
import { printable, printableOrNull } from '../../lib/printable.ts';
import type { Db } from '../client.ts';
import { health } from '../schema.ts';

export type HealthLevel = 'ok' | 'warning' | 'error';
export type HealthRow = typeof health.$inferSelect;

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
  const values = { participantId, day, topic, level, message: printable(message), detail: printableOrNull(detail ?? null), wip, at: Date.now() };
  // The same message again is not rewritten: a cycle in which nothing changed writes nothing here (`at` stays when it first said so).
  db.insert(health)
    .values(values)
    .onConflictDoUpdate({
      target: [health.participantId, health.day, health.topic],
      set: values,
      setWhere: sql`${health.level} is not excluded.level or ${health.message} is not excluded.message or ${health.detail} is not excluded.detail or ${health.wip} is not excluded.wip`,
    })
    .run();
}

export function clearHealth(db: Db, participantId: number, day: number, topic: string): void {
  db.delete(health).where(and(eq(health.participantId, participantId), eq(health.day, day), eq(health.topic, topic))).run();
}

export function listHealth(db: Db, participantId?: number): HealthRow[] {
  const q = db.select().from(health);
  return (participantId === undefined ? q : q.where(eq(health.participantId, participantId))).orderBy(health.participantId, health.day).all();
}
