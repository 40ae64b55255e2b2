import { eq } from 'drizzle-orm';
import { printable } from '../../lib/printable.ts';
import { prepared, seasonKey, type Db } from '../client.ts';
import { images, participants, repoUpdates } from '../schema.ts';

export type ParticipantRow = typeof participants.$inferSelect;
export type RepoUpdateRow = typeof repoUpdates.$inferSelect;
export type ImageRow = typeof images.$inferSelect;

export function upsertParticipant(
  db: Db,
  p: { name: string; dirName: string; repo: string; branch?: string | null; subheading?: string | null; position: number },
): number {
  // Every participant, every cycle: prepared once (db/client.ts).
  const row = prepared(
    db,
    `INSERT INTO participants (season, name, dir_name, repo, branch, subheading, position) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (season, name) DO UPDATE SET dir_name = excluded.dir_name, repo = excluded.repo, branch = excluded.branch, subheading = excluded.subheading, position = excluded.position
     RETURNING id`,
  ).get(seasonKey(db), p.name, p.dirName, p.repo, p.branch ?? null, p.subheading ?? null, p.position) as { id: number };
  return row.id;
}

export function setParticipantConfig(
  db: Db,
  id: number,
  c: { config: unknown; language: string[]; state: string; messages: string[] },
): void {
  // Keys, values and messages are the participant's: stored with control characters made visible (in JSON, as the \u escapes that parse back to them).
  // Rewritten only when something changed: a cycle in which nothing did writes nothing here.
  prepared(
    db,
    `UPDATE participants SET config = @config, language = @language, validation_state = @state, validation_messages = @messages, updated_at = @at
     WHERE id = @id AND (config IS NOT @config OR language IS NOT @language OR validation_state IS NOT @state OR validation_messages IS NOT @messages)`,
  ).run({ config: c.config === null ? null : printable(JSON.stringify(c.config)), language: c.language.join(', ') || null, state: c.state, messages: JSON.stringify(c.messages.map(printable)), at: Date.now(), id });
}

export function recordRepoUpdate(db: Db, participantId: number, u: Omit<RepoUpdateRow, 'participantId' | 'at'>): void {
  db.$client.transaction(() => {
    prepared(
      db,
      `INSERT INTO repo_updates (participant_id, at, ok, operation, failed_step, output, head) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (participant_id) DO UPDATE SET at = excluded.at, ok = excluded.ok, operation = excluded.operation, failed_step = excluded.failed_step, output = excluded.output, head = excluded.head
       WHERE ok IS NOT excluded.ok OR operation IS NOT excluded.operation OR failed_step IS NOT excluded.failed_step OR output IS NOT excluded.output OR head IS NOT excluded.head`,
    ).run(participantId, Date.now(), u.ok ? 1 : 0, u.operation, u.failedStep, printable(u.output), u.head);
    if (u.ok && u.head) prepared(db, 'UPDATE participants SET head = @head WHERE id = @id AND head IS NOT @head').run({ head: u.head, id: participantId });
  })();
}

export function recordImage(db: Db, participantId: number, i: Omit<ImageRow, 'participantId' | 'at'>): void {
  prepared(
    db,
    `INSERT INTO images (participant_id, at, ok, kind, ref, image_id, built, log) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (participant_id) DO UPDATE SET at = excluded.at, ok = excluded.ok, kind = excluded.kind, ref = excluded.ref, image_id = excluded.image_id, built = excluded.built, log = excluded.log
     WHERE ok IS NOT excluded.ok OR kind IS NOT excluded.kind OR ref IS NOT excluded.ref OR image_id IS NOT excluded.image_id OR built IS NOT excluded.built OR log IS NOT excluded.log`,
  ).run(participantId, Date.now(), i.ok ? 1 : 0, i.kind, printable(i.ref), i.imageId, i.built ? 1 : 0, printable(i.log));
}

export function listParticipants(db: Db): ParticipantRow[] {
  return db.select().from(participants).where(db.season === undefined ? undefined : eq(participants.season, db.season)).orderBy(participants.position).all();
}

export function getImage(db: Db, participantId: number): ImageRow | undefined {
  return db.select().from(images).where(eq(images.participantId, participantId)).get();
}
