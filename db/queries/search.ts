/**
 * Finding a participant by name as one types: a JSON answer from an index
 * kept per content version, not a page render (a render costs tens of
 * milliseconds; 300 searches must cost about what 300 cached page views do).
 */
import type { Db } from '../client.ts';
import { storedDefaultRanking } from './board.ts';
import { contentVersion } from './live.ts';
import { listParticipantIds } from './board.ts';
import { seasonSql, prepared } from '../client.ts';

export interface NameMatch {
  name: string;
  /** Place on the default board, where its ranking is stored. */
  place: number | null;
}

interface Entry extends NameMatch {
  lower: string;
}

/** At most this many matches: a list to pick from, not an export. */
export const MAX_MATCHES = 20;
/** Longer queries are cut: no name is this long, and nothing unbounded is scanned. */
export const MAX_QUERY = 100;

export function nameIndex(db: Db, configuredClass?: string): { version: number; ranked: boolean; builtAt: number; named: Entry[]; anon: Entry[] } {
  const version = contentVersion(db);
  const rows = prepared(db, `SELECT id, name FROM participants${seasonSql(db, 'id')} ORDER BY position, name`).all() as Array<{ id: number; name: string }>;
  const ranking = storedDefaultRanking(db, configuredClass);
  const place = new Map((ranking?.order ?? []).map((id, i) => [id, i + 1]));
  const entry = (name: string, id: number): Entry => ({ name, lower: name.toLowerCase(), place: place.get(id) ?? null });
  // `?anon` pages search the names they show ("Participant N", config order), never the real ones.
  return { version, ranked: ranking !== null, builtAt: Date.now(), named: rows.map((r) => entry(r.name, r.id)), anon: rows.map((r, i) => entry(`Participant ${i + 1}`, r.id)) };
}

export function searchNames(index: { named: Entry[]; anon: Entry[] }, q: string, anon: boolean): NameMatch[] {
  const t = q.slice(0, MAX_QUERY).trim().toLowerCase();
  if (!t) return [];
  const found: Entry[] = [];
  for (const e of anon ? index.anon : index.named) if (e.lower.includes(t)) found.push(e);
  found.sort((a, b) => (a.place ?? Infinity) - (b.place ?? Infinity));
  return found.slice(0, MAX_MATCHES).map(({ name, place }) => ({ name, place }));
}

