import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataPaths } from '../lib/data-dir.ts';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

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
