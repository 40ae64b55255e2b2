import { dbPath, openDb, type Db } from '../../db/client.ts';
import { loadInstance, type LoadedInstance } from '../../runner/config-load.ts';

/** One connection per server process; the runner writes, WAL lets us read meanwhile. */
let cached: { instance: LoadedInstance; db: Db } | null = null;

export function instance(): LoadedInstance {
  return context().instance;
}

export function db(): Db {
  return context().db;
}

function context() {
  if (!cached) {
    const inst = loadInstance();
    cached = { instance: inst, db: openDb(dbPath(inst.dataDir)) };
  }
  return cached;
}
