import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { dbPath, openDb, type Db } from '../../db/client.ts';
import { Progress } from '../../runner/progress.ts';

/** Writes an instance config into `dir` and returns its path. */
export function writeInstance(dir: string, cfg: Record<string, unknown>): string {
  const file = join(dir, 'aocbench.yaml');
  writeFileSync(file, stringify({ dataDir: join(dir, 'data'), inputsDir: join(dir, 'inputs'), ...cfg }));
  return file;
}

/** Progress that records lines instead of printing them. */
export function quietProgress(lines: string[] = []): Progress {
  return new Progress((l) => lines.push(l));
}

/** Opens the instance's database for one read and closes it again. */
export function withDb<T>(base: string, f: (db: Db) => T): T {
  const db = openDb(dbPath(join(base, 'data')));
  try {
    return f(db);
  } finally {
    db.$client.close();
  }
}
