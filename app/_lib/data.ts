import { dbPath, openDb, type Db } from '../../db/client.ts';
import { readFileSync } from 'node:fs';
import { instanceFile, resolveInstance, type LoadedInstance } from '../../lib/instance-config.ts';
import { dataVersion } from '../../db/queries/views.ts';

/** One connection per server process; the runner writes, WAL lets us read meanwhile. */
let ctx: { instance: LoadedInstance; db: Db } | null = null;

export function instance(): LoadedInstance {
  return context().instance;
}

export function db(): Db {
  return context().db;
}

function context() {
  if (!ctx) {
    // The site reads the same instance config as the runner ($AOCBENCH_CONFIG or config/aocbench.yaml).
    const file = instanceFile(undefined, process.env, process.cwd());
    const inst = resolveInstance(readFileSync(file, 'utf8'), file, process.cwd());
    ctx = { instance: inst, db: openDb(dbPath(inst.dataDir)) };
  }
  return ctx;
}

let stamp = -1;
const memo = new Map<string, unknown>();

/**
 * Memoised until the runner commits: SQLite's data_version changes exactly
 * when another connection writes, so pages never show stale data.
 */
export function cached<T>(key: string, fn: () => T): T {
  const v = dataVersion(db());
  if (v !== stamp) {
    memo.clear();
    stamp = v;
  }
  if (!memo.has(key)) memo.set(key, fn());
  return memo.get(key) as T;
}

/** After this process writes (custom inputs): data_version only sees other connections' commits. */
export function invalidate(): void {
  memo.clear();
}
