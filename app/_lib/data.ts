import { openDataDb, type Db } from '../../db/client.ts';
import { loadInstance, type LoadedInstance } from '../../db/instance.ts';
import { contentWatch } from '../../db/queries/live.ts';
import { readSnapshot, writeSnapshot } from '../../db/queries/snapshots.ts';

/** One connection per server process; the runner writes, WAL lets us read meanwhile. */
let ctx: { instance: LoadedInstance; db: Db; watch: ReturnType<typeof contentWatch> } | null = null;

export function instance(): LoadedInstance {
  return context().instance;
}

export function db(): Db {
  return context().db;
}

function context() {
  if (!ctx) {
    // The site reads the same instance config as the runner ($AOCBENCH_CONFIG or config/aocbench.yaml).
    const inst = loadInstance();
    const db = openDataDb(inst.dataDir);
    ctx = { instance: inst, db, watch: contentWatch(db) };
  }
  return ctx;
}

/** The content version: moves with every write to what pages show. */
export function version(): number {
  return context().watch.version();
}

let stamp = -1;
const MEMO_MAX = 300;
const memo = new Map<string, unknown>();

/**
 * Memoised until the content changes: the content version moves with every
 * write to what pages show (not with heartbeats or progress lines), so pages
 * never show stale data and a running benchmark does not force re-reads.
 */
export function cached<T>(key: string, fn: () => T): T {
  const version = context().watch.version();
  if (version !== stamp) {
    memo.clear();
    stamp = version;
  }
  if (memo.has(key)) {
    // Most recently used last: the oldest go first when the cap is reached.
    const hit = memo.get(key);
    memo.delete(key);
    memo.set(key, hit);
    return hit as T;
  }
  const v = fn();
  memo.set(key, v);
  // View options include free text (?q=, ?lang=): a cap keeps anonymous clients from filling the memory.
  for (const k of memo.keys()) {
    if (memo.size <= MEMO_MAX) break;
    memo.delete(k);
  }
  return v;
}

/** After this process writes (custom inputs, queued jobs): data_version only sees other connections' commits. */
export function invalidate(): void {
  context().watch.reset();
  memo.clear();
}

/**
 * `cached`, and kept in the database (view_snapshots) for the content version:
 * a restarted site reads what the last process (or the runner, after a cycle)
 * computed instead of computing it again. For values of the whole board only,
 * under keys from a closed set (never free text from a query string).
 */
export function persisted<T>(key: string, fn: () => T, fits: (stored: T) => boolean = () => true): T {
  return cached(`persisted:${key}`, () => {
    const v = version();
    const stored = readSnapshot(db(), key, v);
    // `fits`: the stored value was computed under the settings in force (the config may have changed since).
    if (stored !== undefined) {
      const value = JSON.parse(stored) as T;
      if (fits(value)) return value;
    }
    const value = fn();
    writeSnapshot(db(), key, v, JSON.stringify(value));
    return value;
  });
}
