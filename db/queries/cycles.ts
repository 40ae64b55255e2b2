import { eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { cycles } from '../schema.ts';

/** A bench cycle begins: when, and on what hardware its days run. Returns its id. */
export function startCycle(db: Db, hardware: Record<string, unknown>, startedAt = Date.now()): number {
  return db.insert(cycles).values({ startedAt, hardware: JSON.stringify(hardware) }).returning({ id: cycles.id }).get().id;
}

/** A bench cycle ends: how many sandboxes it started and days it ran. */
export function finishCycle(db: Db, id: number, done: { containers: number; daysRun: number }, finishedAt = Date.now()): void {
  db.update(cycles).set({ finishedAt, ...done }).where(eq(cycles.id, id)).run();
}
