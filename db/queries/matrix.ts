import { and, eq, notInArray } from 'drizzle-orm';
import { printableOrNull } from '../../lib/printable.ts';
import { ofSeason, seasonKey, type Db } from '../client.ts';
import { customInputs, matrixCells, matrixInputs } from '../schema.ts';

export type MatrixCellRow = typeof matrixCells.$inferSelect;
export type MatrixInputRow = typeof matrixInputs.$inferSelect;
export type CustomInputRow = typeof customInputs.$inferSelect;

export function cellsOf(db: Db, solverId: number, day: number): Map<string, MatrixCellRow> {
  const rows = db.select().from(matrixCells).where(and(eq(matrixCells.solverId, solverId), eq(matrixCells.day, day))).all();
  return new Map(rows.map((r) => [r.input, r]));
}

export function saveMatrixCell(db: Db, raw: MatrixCellRow): void {
  // Stored for display: a solution's output with control characters made visible.
  const cell = { ...raw, message: printableOrNull(raw.message), output: printableOrNull(raw.output) };
  db.insert(matrixCells)
    .values(cell)
    .onConflictDoUpdate({ target: [matrixCells.solverId, matrixCells.day, matrixCells.input], set: cell })
    .run();
}

/** Cells of inputs that no longer exist go with them. */
export function pruneMatrixCells(db: Db, solverId: number, day: number, keep: string[]): void {
  const where = and(eq(matrixCells.solverId, solverId), eq(matrixCells.day, day));
  db.delete(matrixCells).where(keep.length ? and(where, notInArray(matrixCells.input, keep)) : where).run();
}

/** Records the day's inputs as the matrix saw them; inputs gone since are dropped, with their cells. */
export function replaceMatrixInputs(db: Db, day: number, inputs: Array<Omit<MatrixInputRow, 'day' | 'seenAt' | 'season'>>): void {
  const season = seasonKey(db);
  const cellsOfSeason = ofSeason(db, matrixCells.solverId);
  db.transaction((tx) => {
    const names = inputs.map((i) => i.name);
    const mine = and(eq(matrixInputs.season, season), eq(matrixInputs.day, day));
    tx.delete(matrixInputs).where(names.length ? and(mine, notInArray(matrixInputs.name, names)) : mine).run();
    const cells = and(eq(matrixCells.day, day), cellsOfSeason);
    tx.delete(matrixCells).where(names.length ? and(cells, notInArray(matrixCells.input, names)) : cells).run();
    for (const i of inputs) {
      const row = { ...i, season, day, seenAt: Date.now() };
      tx.insert(matrixInputs).values(row).onConflictDoUpdate({ target: [matrixInputs.season, matrixInputs.day, matrixInputs.name], set: row }).run();
    }
  });
}

export function listMatrixCells(db: Db): MatrixCellRow[] {
  return db.select().from(matrixCells).where(ofSeason(db, matrixCells.solverId)).orderBy(matrixCells.day, matrixCells.solverId, matrixCells.input).all();
}

export function listMatrixInputs(db: Db): MatrixInputRow[] {
  return db.select().from(matrixInputs).where(db.season === undefined ? undefined : eq(matrixInputs.season, db.season)).orderBy(matrixInputs.day, matrixInputs.name).all();
}

export function listCustomInputs(db: Db, opts: { includeHidden?: boolean } = {}): CustomInputRow[] {
  const season = db.season === undefined ? undefined : eq(customInputs.season, db.season);
  return db.select().from(customInputs).where(opts.includeHidden ? season : and(season, eq(customInputs.hidden, false))).orderBy(customInputs.day, customInputs.name).all();
}

export function listMatrixCellsOfDay(db: Db, day: number): MatrixCellRow[] {
  return db.select().from(matrixCells).where(and(eq(matrixCells.day, day), ofSeason(db, matrixCells.solverId))).orderBy(matrixCells.solverId, matrixCells.input).all();
}

/** Cells without their output, for overviews. */
export function listMatrixStatuses(db: Db) {
  return db
    .select({ solverId: matrixCells.solverId, day: matrixCells.day, input: matrixCells.input, status: matrixCells.status })
    .from(matrixCells)
    .where(ofSeason(db, matrixCells.solverId))
    .orderBy(matrixCells.day, matrixCells.solverId, matrixCells.input)
    .all();
}

export function customInputTaken(db: Db, day: number, name: string): boolean {
  return db.select({ id: customInputs.id }).from(customInputs).where(and(eq(customInputs.season, seasonKey(db)), eq(customInputs.day, day), eq(customInputs.name, name))).get() !== undefined;
}

export function addCustomInput(db: Db, c: { day: number; name: string; input: string; part1: string | null; part2: string | null; submittedBy: string }): number {
  return db.insert(customInputs).values({ ...c, season: seasonKey(db), createdAt: Date.now() }).returning({ id: customInputs.id }).get().id;
}

export function setCustomInputHidden(db: Db, id: number, hidden: boolean): boolean {
  return db.update(customInputs).set({ hidden }).where(and(eq(customInputs.id, id), db.season === undefined ? undefined : eq(customInputs.season, db.season))).run().changes > 0;
}

export function deleteCustomInput(db: Db, id: number): boolean {
  return db.delete(customInputs).where(and(eq(customInputs.id, id), db.season === undefined ? undefined : eq(customInputs.season, db.season))).run().changes > 0;
}
