import type { ParticipantView } from '../../db/queries/views.ts';
import { anonymise, filterByLanguage, type LbParticipant } from '../../lib/leaderboard.ts';
import type { ViewParams } from './params.ts';

/** Participants as a page shows them: language filter applied, names anonymised on `?anon`. */
export function visibleParticipants(all: ParticipantView[], v: ViewParams): LbParticipant[] {
  const shown = anonymise(all, v.anon);
  return filterByLanguage(shown, v.lang).map((p) => ({
    id: p.id, name: p.name, language: p.language, subheading: v.anon ? null : p.subheading,
    repo: v.anon ? '' : p.repo, branch: p.branch, daypath: p.config?.daypath,
  }));
}

export function allLanguages(all: ParticipantView[]): string[] {
  return [...new Set(all.flatMap((p) => (p.language ?? '').split(',').map((l) => l.trim()).filter(Boolean)))].sort();
}

export function dateTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
}
