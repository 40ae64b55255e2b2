import { rmSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach } from 'vitest';
import { tempDir } from './git-repo.ts';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { openDataDb, openDb, type Db } from '../../db/client.ts';
import { Progress } from '../../runner/report/progress.ts';

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
  const db = openDataDb(join(base, 'data'));
  try {
    return f(db);
  } finally {
    db.$client.close();
  }
}

/** A fresh SQLite file for each test of the file that calls this (in its top level); `get()` is the open database. */
export function freshDbEachTest(prefix = 'aocbench-db-'): { get(): Db } {
  let dir = '';
  let db: Db | null = null;
  beforeEach(() => {
    dir = tempDir(prefix);
    db = openDb(join(dir, 'aocbench.db'));
  });
  afterEach(() => {
    db?.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { get: () => db! };
}
