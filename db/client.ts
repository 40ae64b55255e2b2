import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, inArray, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { dataPaths } from '../lib/data-dir.ts';
import * as schema from './schema.ts';

/**
 * A connection; `season` set (inSeason) scopes every listing to that season's
 * participants and inputs. Without it, queries see every season (tests, tools).
 */
export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database; readonly season?: number };

/** Next.js bundles this file elsewhere; the project root's db/migrations is the fallback. */
function migrationsFolder(): string {
  const here = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
  return existsSync(join(here, 'meta')) ? here : join(/*turbopackIgnore: true*/ process.cwd(), 'db', 'migrations');
}

/** Opens `<dataDir>/aocbench.db` in WAL mode and brings its schema up to date. */
export function openDb(file: string, opts: { readonly?: boolean } = {}): Db {
  if (!opts.readonly) mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file, { readonly: opts.readonly ?? false });
  sqlite.pragma('busy_timeout = 5000');
  if (!opts.readonly) {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
  }
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle(sqlite, { schema }) as Db;
  if (!opts.readonly) migrate(db, { migrationsFolder: migrationsFolder() });
  return db;
}

export function dbPath(dataDir: string): string {
  return dataPaths(dataDir).db;
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement<unknown[]>>>();

/**
 * A statement prepared once per connection. For the writes and reads a cycle
 * makes for every participant: built by drizzle each time, their query
 * building was most of a no-change cycle's bookkeeping (issue 25).
 */
export function prepared(db: Db, sql: string): Database.Statement<unknown[]> {
  let mine = statements.get(db.$client);
  if (!mine) statements.set(db.$client, (mine = new Map()));
  let s = mine.get(sql);
  if (!s) mine.set(sql, (s = db.$client.prepare<unknown[]>(sql)));
  return s;
}

/** The database of an instance's data dir (`<dataDir>/aocbench.db`). */
export const openDataDb = (dataDir: string, opts: { readonly?: boolean } = {}): Db => openDb(dbPath(dataDir), opts);

/** The same connection, scoped to one season: listings see its participants, writes are keyed by it. */
export function inSeason(db: Db, season: number): Db {
  if (!Number.isInteger(season)) throw new Error(`not a season: ${season}`);
  const scoped = Object.create(db) as Db;
  Object.defineProperty(scoped, 'season', { value: season, enumerable: true });
  return scoped;
}

/** The connection under a season's scope: every season's rows. */
export const unscoped = (db: Db): Db => (db.season === undefined ? db : unscoped(Object.getPrototypeOf(db) as Db));

/** The season rows written by this connection carry (0 when unscoped: adopted by the newest season on the next open). */
export const seasonKey = (db: Db): number => db.season ?? 0;

/** A condition keeping the season's rows of a table keyed by participant (undefined when unscoped: every row). */
export function ofSeason(db: Db, participantColumn: SQLiteColumn): SQL | undefined {
  if (db.season === undefined) return undefined;
  return inArray(participantColumn, db.select({ id: schema.participants.id }).from(schema.participants).where(eq(schema.participants.season, db.season)));
}

/** The same for hand-written SQL: `${glue} <column> IN (the season's participants)`, or nothing when unscoped. */
export function seasonSql(db: Db, column = 'participant_id', glue = 'WHERE'): string {
  return db.season === undefined ? '' : ` ${glue} ${column} IN (SELECT id FROM participants WHERE season = ${db.season | 0})`;
}

/** Whether the database holds rows written before seasons (season 0). */
function hasPreSeasonRows(db: Db): boolean {
  return !!db.$client.prepare('SELECT 1 FROM participants WHERE season = 0 UNION ALL SELECT 1 FROM matrix_inputs WHERE season = 0 UNION ALL SELECT 1 FROM custom_inputs WHERE season = 0 LIMIT 1').get();
}

/** Rows written before seasons (season 0) belong to `season` from now on: an instance that had one year keeps its results. */
export function adoptPreSeasonRows(db: Db, season: number): void {
  const c = db.$client;
  if (!hasPreSeasonRows(db)) return;
  c.transaction(() => {
    for (const t of ['participants', 'matrix_inputs', 'custom_inputs']) c.prepare(`UPDATE OR IGNORE ${t} SET season = ? WHERE season = 0`).run(season);
  }).immediate();
}

/**
 * The database of an instance's season, scoped to it (see LoadedInstance).
 * Rows from before seasons are a single-year instance's: its year's. Which
 * year they are is not known to a config with `seasons:`, so it refuses
 * them rather than guess (opening once with the single-year config, or
 * `aocbench merge`, says it).
 */
export function openSeasonDb(inst: { dataDir: string; season: number; config: { seasons: Array<{ year: number }>; seasonal: boolean } }, opts: { readonly?: boolean } = {}): Db {
  const db = openDataDb(inst.dataDir, opts);
  if (!opts.readonly && !inst.config.seasonal) adoptPreSeasonRows(db, inst.config.seasons[0].year);
  else if (inst.config.seasonal && hasPreSeasonRows(db)) {
    db.$client.close();
    throw new Error(
      `${dbPath(inst.dataDir)} holds results from before seasons, of a single year this config (seasons: ${inst.config.seasons.map((s) => s.year).join(', ')}) cannot tell: ` +
        'open it once with the single-year config it was written with (e.g. `aocbench results --config OLD.yaml`), which makes them that year\'s, then use this one; or merge instances with `aocbench merge`',
    );
  }
  return inSeason(db, inst.season);
}
