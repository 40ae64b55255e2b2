import { eq } from 'drizzle-orm';
import { printable } from '../../lib/printable.ts';
import type { Db } from '../client.ts';
import { images, participants, repoUpdates } from '../schema.ts';

export type ParticipantRow = typeof participants.$inferSelect;
export type RepoUpdateRow = typeof repoUpdates.$inferSelect;
export type ImageRow = typeof images.$inferSelect;

export function upsertParticipant(
  db: Db,
  p: { name: string; dirName: string; repo: string; branch?: string | null; subheading?: string | null; position: number },
): number {
  const values = { ...p, branch: p.branch ?? null, subheading: p.subheading ?? null };
  const row = db
    .insert(participants)
    .values(values)
    .onConflictDoUpdate({ target: participants.name, set: values })
    .returning({ id: participants.id })
    .get();
  return row.id;
}

export function setParticipantConfig(
  db: Db,
  id: number,
  c: { config: unknown; language: string[]; state: string; messages: string[] },
): void {
  db.update(participants)
    // Keys, values and messages are the participant's: stored with control characters made visible (in JSON, as the \u escapes that parse back to them).
    .set({
      config: c.config === null ? null : printable(JSON.stringify(c.config)),
      language: c.language.join(', ') || null,
      validationState: c.state,
      validationMessages: JSON.stringify(c.messages.map(printable)),
      updatedAt: Date.now(),
    })
    .where(eq(participants.id, id))
    .run();
}

export function recordRepoUpdate(db: Db, participantId: number, u: Omit<RepoUpdateRow, 'participantId' | 'at'>): void {
  const values = { participantId, at: Date.now(), ...u, output: printable(u.output) };
  db.transaction((tx) => {
    tx.insert(repoUpdates).values(values).onConflictDoUpdate({ target: repoUpdates.participantId, set: values }).run();
    if (u.ok && u.head) tx.update(participants).set({ head: u.head }).where(eq(participants.id, participantId)).run();
  });
}

export function recordImage(db: Db, participantId: number, i: Omit<ImageRow, 'participantId' | 'at'>): void {
  const values = { participantId, at: Date.now(), ...i, ref: printable(i.ref), log: printable(i.log) };
  db.insert(images).values(values).onConflictDoUpdate({ target: images.participantId, set: values }).run();
}

export function listParticipants(db: Db): ParticipantRow[] {
  return db.select().from(participants).orderBy(participants.position).all();
}

export function getImage(db: Db, participantId: number): ImageRow | undefined {
  return db.select().from(images).where(eq(images.participantId, participantId)).get();
}
