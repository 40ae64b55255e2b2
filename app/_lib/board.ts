import { listHistoryPresence, listParticipantViews, listResultViews, listWipDays } from '../../db/queries/views.ts';
import { buildLeaderboard, type Leaderboard } from '../../lib/leaderboard.ts';
import { classView } from './classes.ts';
import { cached, db, instance } from './data.ts';
import type { ViewParams } from './params.ts';
import { visibleParticipants } from './participants.ts';

/**
 * The whole board of a view (its statistic, language filter and hardware
 * class), memoised per content version: the leaderboard arranges it, a
 * participant's page reads its rank, points and places from it.
 */
export function boardOf(v: ViewParams): Leaderboard {
  const inst = instance().config;
  const all = cached('participants', () => listParticipantViews(db()));
  // Several hardware classes: the board is one class's, so medals and points compare like with like.
  const cls = classView(v);
  const results = cached(`results:${cls.key}`, () => cls.filter(cached('results', () => listResultViews(db()))));
  return cached(`board:${v.method}:${v.anon}:${v.lang.join(',')}:${cls.key}`, () =>
    buildLeaderboard({
      participants: visibleParticipants(all, v),
      results,
      // The grid marks cells with history (↺); a cell's history itself comes with its details (/api/cell).
      history: cached('history-presence', () => listHistoryPresence(db())),
      method: v.method, podium: inst.podium, year: inst.year,
      wip: cached('wip', () => listWipDays(db())),
    }),
  );
}
