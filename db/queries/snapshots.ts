import type { Db } from '../client.ts';
import { prepared } from '../client.ts';

/** Every season's views are stored apart. */
const seasonal = (db: Db, key: string) => (db.season === undefined ? key : `${db.season}:${key}`);

/** A stored view (schema viewSnapshots) if it was computed at this content version. */
export function readSnapshot(db: Db, key: string, version: number): string | undefined {
  const row = prepared(db, 'SELECT body FROM view_snapshots WHERE key = ? AND version = ?')  .get(seasonal(db, key), version) as { body: string } | undefined;
  return row?.body;
}

/**
 * Stores a view computed at `version`, replacing the key's older one. Never
 * waits: when another connection holds the write lock (the runner storing a
 * day), the snapshot is skipped (the page is already computed, and the next
 * change writes one again), so a page view never blocks on the runner.
 */
export function writeSnapshot(db: Db, key: string, version: number, body: string): boolean {
  const c = db.$client;
  if (c.readonly) return false;
  const timeout = c.pragma('busy_timeout', { simple: true }) as number;
  c.pragma('busy_timeout = 0');
  try {
    prepared(db, 'INSERT INTO view_snapshots (key, version, body, written_at) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET version = excluded.version, body = excluded.body, written_at = excluded.written_at WHERE excluded.version >= view_snapshots.version').run(seasonal(db, key), version, body, Date.now());
    return true;
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY')) return false;
    throw e;
  } finally {
    c.pragma(`busy_timeout = ${timeout}`);
  }
}
