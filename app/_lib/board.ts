import { boardKey, computeRanking, listMemoryInputs } from '../../db/queries/board.ts';
import { listHistoryPresenceOf, listParticipantViews, listResultViewsOf, listWipDays } from '../../db/queries/views.ts';
import type { BoardRanking } from '../../lib/board-ranking.ts';
import { buildLeaderboard, type Leaderboard } from '../../lib/leaderboard.ts';
import { memoryBoard, type MemoryBoard, type MemoryPlace } from '../../lib/memory-board.ts';
import { classView } from './classes.ts';
import { cached, db, instance, persisted } from './data.ts';
import type { ViewParams } from './params.ts';
import { visibleParticipants } from './participants.ts';

/**
 * The whole board's ranking of a view (its statistic, language filter and
 * hardware class): standing, points, every day's places. Without a language
 * filter it is kept per content version in the database, so a restarted site
 * does not rank 10,000 participants for its first view.
 */
export function rankingOf(v: ViewParams): BoardRanking {
  const inst = instance().config;
  const cls = classView(v);
  const ids = () => visibleParticipants(cached('participants', () => listParticipantViews(db())), v).map((p) => p.id);
  const compute = () => computeRanking(db(), { ids: ids(), method: v.method, podium: inst.podium, className: cls.choice ? cls.choice.shown.name : undefined });
  // A ranking stored before `podium` was switched in the config is not this board's.
  return v.lang.length ? cached(`ranking:${v.method}:${v.lang.join(',')}:${cls.key}`, compute) : persisted(boardKey(v.method, cls.key), compute, (r) => r.podium === inst.podium);
}

/**
 * The grid of some participants of a view (a window, or one participant):
 * cells, marks and history read for them only, places and totals from the
 * whole board's ranking.
 */
export function windowBoard(v: ViewParams, ids: number[]): Leaderboard {
  const inst = instance().config;
  const cls = classView(v);
  const at = new Map(ids.map((id, i) => [id, i]));
  const columns = visibleParticipants(cached('participants', () => listParticipantViews(db())), v)
    .filter((p) => at.has(p.id))
    .sort((a, b) => at.get(a.id)! - at.get(b.id)!);
  return buildLeaderboard({
    participants: columns,
    results: cls.filter(listResultViewsOf(db(), ids)),
    // The grid marks cells with history (↺); a cell's history itself comes with its details (/api/cell).
    history: listHistoryPresenceOf(db(), ids),
    method: v.method, podium: inst.podium, year: inst.year,
    wip: cached('wip', () => listWipDays(db())),
    ranking: rankingOf(v),
  });
}

/** Places of each day the memory page lists; the whole day is on the day's page. */
export const MEMORY_PER_DAY = 10;

/** The memory board of a view, each day cut to its top (and its length kept): stored per content version like the ranking. */
export function memoryBoardOf(v: ViewParams): Omit<MemoryBoard, 'days'> & { days: Array<{ day: number; ranked: MemoryPlace[]; total: number }> } {
  const cls = classView(v);
  const compute = () => {
    const ids = visibleParticipants(cached('participants', () => listParticipantViews(db())), v).map((p) => p.id);
    const board = memoryBoard(listMemoryInputs(db(), cls.choice ? cls.choice.shown.name : undefined), ids);
    return { ...board, days: board.days.map((d) => ({ day: d.day, ranked: d.ranked.slice(0, MEMORY_PER_DAY), total: d.ranked.length })) };
  };
  return v.lang.length ? cached(`memory:${v.lang.join(',')}:${cls.key}`, compute) : persisted(`memory:${cls.key}`, compute);
}
