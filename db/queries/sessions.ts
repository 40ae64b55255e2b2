import { eq, lt } from 'drizzle-orm';
import type { Session } from '../../lib/session.ts';
import type { Db } from '../client.ts';
import { adminSessions } from '../schema.ts';

export function createSession(db: Db, s: Session, passwordTag: string): void {
  db.delete(adminSessions).where(lt(adminSessions.expiresAt, Date.now())).run();
  db.insert(adminSessions).values({ id: s.id, csrf: s.csrf, passwordTag, createdAt: Date.now(), expiresAt: s.expiresAt }).run();
}

/** A live session signed in with the current password, or null. */
export function findSession(db: Db, id: string, passwordTag: string): Session | null {
  const row = db.select().from(adminSessions).where(eq(adminSessions.id, id)).get();
  if (!row || row.expiresAt <= Date.now() || row.passwordTag !== passwordTag) return null;
  return { id: row.id, csrf: row.csrf, expiresAt: row.expiresAt };
}

export function deleteSession(db: Db, id: string): void {
  db.delete(adminSessions).where(eq(adminSessions.id, id)).run();
}
