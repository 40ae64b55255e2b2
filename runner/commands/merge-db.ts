/**
 * `aocbench merge`, the database part: every source's rows copied into the
 * new instance's database under the source's year, in one transaction.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync } from 'node:fs';
import { adoptPreSeasonRows, inSeason, openDb, type Db } from '../../db/client.ts';
import { storeDefaultBoard } from '../../db/queries/board.ts';

/**
 * Not copied: `jobs` (a source's queue: its work is done or is redone by the
 * next cycle), `runners` (the processes of the source), `admin_sessions`
 * (sign-ins, keyed by the source's session key), `view_snapshots` (cached
 * views, computed again), `notifications` (the source's news outbox),
 * `webhook_deliveries` (replay guard of the source's webhook),
 * `queue_workers` and `queue_counts` (mirrors of Redis) and `content_version`
 * (the new database's own counter).
 */
export const NOT_COPIED = ['jobs', 'runners', 'admin_sessions', 'view_snapshots', 'notifications', 'webhook_deliveries', 'queue_workers', 'queue_counts', 'content_version'];

/** Every table copied, in the order the report lists them. */
export const COPIED = ['participants', 'day_results', 'day_history', 'health', 'images', 'repo_updates', 'matrix_cells', 'matrix_inputs', 'custom_inputs', 'cycles'];

/** One source database, copied to a temp file and brought to the current schema there. */
export interface SourceDb {
  year: number;
  /** The temp copy (null: the source has no database yet). */
  copy: string | null;
}

/** Rows copied per table, per season (cycles are not per season: counted under the source they came from). */
export type RowCounts = Record<string, Record<number, number>>;

/**
 * A consistent copy of `file` at `into`, the source never written: a
 * database with no write-ahead log is complete in its file and copied as
 * one; with a log (a process has it open) SQLite's backup reads it read-only.
 */
export async function snapshotDb(file: string, into: string): Promise<string | null> {
  if (!existsSync(file)) return null;
  if (!existsSync(`${file}-wal`)) {
    copyFileSync(file, into);
    return into;
  }
  const src = new Database(file, { readonly: true, fileMustExist: true });
  try {
    await src.backup(into);
  } finally {
    src.close();
  }
  return into;
}

/** How many participants the database at `file` holds (0 when it does not exist), read from a copy in `tmp`. */
export async function participantCount(file: string, tmp: string): Promise<number> {
  const copy = await snapshotDb(file, tmp);
  if (!copy) return 0;
  const db = new Database(copy, { readonly: true });
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'participants'").get();
    return has ? (db.prepare('SELECT count(*) AS n FROM participants').get() as { n: number }).n : 0;
  } finally {
    db.close();
  }
}

const quote = (c: string) => `"${c.replaceAll('"', '""')}"`;

/** Inserts `rows` into `dst`'s table, each changed by `change` first; the columns named in `omit` get new values (ids). */
function insertRows(dst: Database.Database, table: string, rows: Iterable<Record<string, unknown>>, change: (row: Record<string, unknown>) => void, omit: string[] = []): number {
  const cols = (dst.prepare(`PRAGMA table_info(${quote(table)})`).all() as Array<{ name: string }>).map((c) => c.name).filter((c) => !omit.includes(c));
  const insert = dst.prepare(`INSERT INTO ${quote(table)} (${cols.map(quote).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
  let n = 0;
  for (const row of rows) {
    change(row);
    insert.run(...cols.map((c) => row[c]));
    n++;
  }
  return n;
}

/** Copies the rows `select` gives from `src` into `dst`'s table (see insertRows). */
function copyRows(src: Database.Database, dst: Database.Database, table: string, select: string, params: unknown[], change: (row: Record<string, unknown>) => void, omit: string[] = []): number {
  return insertRows(dst, table, src.prepare(select).iterate(...params) as Iterable<Record<string, unknown>>, change, omit);
}

/** One season's rows: its participants under new ids, and everything keyed by them or by the season. */
function copySeason(src: Database.Database, dst: Database.Database, year: number): Record<string, number> {
  const ids = new Map<number, number>();
  const newId = dst.prepare('SELECT id FROM participants WHERE season = ? AND name = ?');
  const n: Record<string, number> = {};
  n.participants = copyRows(src, dst, 'participants', 'SELECT * FROM participants WHERE season = ? ORDER BY id', [year], (r) => void (r.season = year), ['id']);
  for (const r of src.prepare('SELECT id, name FROM participants WHERE season = ?').iterate(year) as Iterable<{ id: number; name: string }>) {
    ids.set(r.id, (newId.get(year, r.name) as { id: number }).id);
  }
  const ofSeason = (column: string) => `WHERE ${column} IN (SELECT id FROM participants WHERE season = ?)`;
  const remap = (column: string) => (r: Record<string, unknown>) => void (r[column] = ids.get(r[column] as number));
  for (const t of ['day_results', 'day_history', 'health', 'images', 'repo_updates']) {
    const omit = t === 'day_history' || t === 'health' ? ['id'] : [];
    n[t] = copyRows(src, dst, t, `SELECT * FROM ${t} ${ofSeason('participant_id')}`, [year], remap('participant_id'), omit);
  }
  n.matrix_cells = copyRows(src, dst, 'matrix_cells', `SELECT * FROM matrix_cells ${ofSeason('solver_id')}`, [year], remap('solver_id'));
  n.matrix_inputs = copyRows(src, dst, 'matrix_inputs', 'SELECT * FROM matrix_inputs WHERE season = ?', [year], (r) => {
    r.season = year;
    r.owner_id = r.owner_id === null ? null : (ids.get(r.owner_id as number) ?? null);
  });
  n.custom_inputs = copyRows(src, dst, 'custom_inputs', 'SELECT * FROM custom_inputs WHERE season = ? ORDER BY id', [year], (r) => void (r.season = year), ['id']);
  return n;
}

/** Rows of another season in a single-year database (its config's year changed once): invisible to that instance, not copied. */
function otherSeasons(src: Database.Database, year: number): number {
  return (src.prepare('SELECT (SELECT count(*) FROM participants WHERE season <> ?) + (SELECT count(*) FROM matrix_inputs WHERE season <> ?) + (SELECT count(*) FROM custom_inputs WHERE season <> ?) AS n').get(year, year, year) as { n: number }).n;
}

/**
 * Copies every source into the database at `target` (created, or empty), in
 * one transaction: a failure leaves it without a row. Each source copy is
 * first brought to the current schema and its pre-season rows given its year,
 * as that instance itself would on its next open.
 */
export function mergeDatabases(target: string, sources: SourceDb[], board: { podium: boolean; configuredClass?: string }): { rows: RowCounts; notes: string[] } {
  const opened = sources.map((s) => ({ ...s, db: s.copy ? openDb(s.copy) : null }));
  const dst = openDb(target);
  const rows: RowCounts = Object.fromEntries(COPIED.map((t) => [t, {}]));
  const notes: string[] = [];
  try {
    for (const s of opened) if (s.db) adoptPreSeasonRows(s.db, s.year);
    dst.$client.transaction(() => {
      const there = (dst.$client.prepare('SELECT count(*) AS n FROM participants').get() as { n: number }).n;
      if (there) throw new Error(`merge: ${target} already holds ${there} participant(s): merge into a new data dir`);
      for (const s of opened) {
        if (!s.db) continue;
        for (const [t, n] of Object.entries(copySeason(s.db.$client, dst.$client, s.year))) rows[t][s.year] = n;
        const other = otherSeasons(s.db.$client, s.year);
        if (other) notes.push(`${s.year}: ${other} row(s) of other seasons in its database (from an earlier year: setting) were not copied: that instance did not show them`);
      }
      copyCycles(opened, dst, rows);
    }).immediate();
    storeBoards(dst, opened.map((s) => s.year), board, notes);
  } finally {
    for (const s of opened) s.db?.$client.close();
    dst.$client.close();
  }
  return { rows, notes };
}

/** The history of runs, every source's, in the order they started (their ids change). */
function copyCycles(opened: Array<SourceDb & { db: Db | null }>, dst: Db, rows: RowCounts): void {
  const all = opened.flatMap((s) => (s.db ? (s.db.$client.prepare('SELECT * FROM cycles').all() as Array<Record<string, unknown>>).map((r) => ({ row: r, year: s.year })) : []));
  all.sort((a, b) => (a.row.started_at as number) - (b.row.started_at as number));
  for (const { year } of all) rows.cycles[year] = (rows.cycles[year] ?? 0) + 1;
  insertRows(dst.$client, 'cycles', all.map((c) => c.row), () => {}, ['id']);
}

/** Each season's default board ranked and stored, as after a cycle, so the site's first view reads it (a failure only costs that view the work). */
function storeBoards(dst: Db, years: number[], board: { podium: boolean; configuredClass?: string }, notes: string[]): void {
  for (const year of years) {
    try {
      storeDefaultBoard(inSeason(dst, year), board);
    } catch (e) {
      notes.push(`${year}: the board's ranking was not stored for the site (${(e as Error).message}); the site ranks it on its first view`);
    }
  }
}
