import { defaultRanking } from '../../db/queries/board.ts';
import { listParticipantViews, listResultViewsOf, type ParticipantView, type ResultView } from '../../db/queries/views.ts';
import type { BoardRanking } from '../../lib/board-ranking.ts';
import { participantStanding, type ParticipantStanding } from '../../lib/leaderboard.ts';
import { cached, db, instance, seasonPage } from './data.ts';

/** One season as the all-seasons pages read it: its participants and its default board (stored by the runner after a cycle). */
export interface SeasonBoard {
  year: number;
  base: string;
  days: number;
  participants: ParticipantView[];
  ranking: BoardRanking;
}

export function seasonBoards(): SeasonBoard[] {
  return seasonPage().years.map((year) =>
    cached(`season-board@${year}`, () => {
      const inst = instance(year).config;
      const ranking = defaultRanking(db(year), { podium: inst.podium, configuredClass: inst.queue?.hardwareClass });
      return { year, base: seasonPage(year).base, days: inst.days, participants: listParticipantViews(db(year)), ranking };
    }),
  );
}

/** A participant's season: standing, golds and the days with a timed result. */
export interface SeasonEntryView {
  year: number;
  base: string;
  days: number;
  standing: ParticipantStanding | null;
  golds: number;
  solved: number;
}

export function seasonEntryOf(b: SeasonBoard, p: ParticipantView): SeasonEntryView {
  const standing = participantStanding(b.ranking, p.id);
  const places = standing ? [...standing.places.values()] : [];
  return { year: b.year, base: b.base, days: b.days, standing, golds: places.filter((x) => x.place === 1).length, solved: places.length };
}

/** Everyone who took part in any season, by name: their seasons, newest first, and totals over them. */
export function everyone(boards: SeasonBoard[]) {
  const byName = new Map<string, SeasonEntryView[]>();
  for (const b of boards) for (const p of b.participants) byName.set(p.name, [...(byName.get(p.name) ?? []), seasonEntryOf(b, p)]);
  return [...byName]
    .map(([name, seasons]) => ({
      name, seasons,
      solved: seasons.reduce((a, s) => a + s.solved, 0),
      golds: seasons.reduce((a, s) => a + s.golds, 0),
      points: seasons.reduce((a, s) => a + (s.standing?.points ?? 0), 0),
    }))
    .sort((a, b) => b.points - a.points || b.solved - a.solved || b.seasons.length - a.seasons.length || a.name.localeCompare(b.name));
}

/** A participant's results in one season, by day. */
export function resultsIn(b: SeasonBoard, p: ParticipantView): ResultView[] {
  return listResultViewsOf(db(b.year), [p.id]).sort((x, y) => x.day - y.day);
}
