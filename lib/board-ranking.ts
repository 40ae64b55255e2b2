/**
 * The whole board's ranking without its cells: standing, points, runtime,
 * medals and every day's places. It is what pages need of the participants
 * they do not show (a window of 25 needs its places among 10,000), small
 * enough to store as JSON per content version and read back after a restart
 * (db/queries/snapshots.ts), where building every cell of 10,000 participants
 * is not.
 */
import { methodValue, type Method } from './format.ts';
import { competitionRanks, leaderboardTotals, type Medal, type Timed } from './ranking.ts';

const MEDALS: Medal[] = ['gold', 'silver', 'bronze'];

/** What ranking reads of a current result: the statistic's inputs, not the samples. */
export interface RankInput {
  participantId: number;
  day: number;
  status: string;
  medianMs: number | null;
  meanMs: number | null;
  minMs: number | null;
  maxMs: number | null;
  ciLowMs: number | null;
  ciHighMs: number | null;
  /** When the day was found gone from the repository (a force-push); null or absent while it is there. */
  removedAt?: number | null;
}

/** One day's timed participants in place order; arrays, not objects, so 10,000 of them stay small. */
export interface DayRanking {
  day: number;
  ids: number[];
  places: number[];
  /** 1 where the place is shared (equal, or overlapping 95% intervals). */
  tied: Array<0 | 1>;
  /** The first place's time: what "from first" counts from. */
  leader: number;
}

export interface BoardRanking {
  /** Participants of the board in config order. */
  ids: number[];
  /** By standing: points (podium) or runtime, the complete before the incomplete, config order last. */
  order: number[];
  podium: boolean;
  points: Record<number, number>;
  runtime: Record<number, number>;
  complete: number[];
  pointsMedals: Record<number, Medal>;
  runtimeMedals: Record<number, Medal>;
  /** Every day that has a result of a board member (timed or not), ascending. */
  days: DayRanking[];
}

const TIMED = new Set(['correct', 'unchecked']);

export function rankBoard(opts: { ids: number[]; results: RankInput[]; method: Method; podium: boolean; wip?: Set<string> }): BoardRanking {
  const { ids, method } = opts;
  const members = new Set(ids);
  const wip = opts.wip ?? new Set<string>();
  const byDay = new Map<number, Map<string, Timed>>();
  const failedSomewhere = new Set<string>();
  for (const r of opts.results) {
    if (!members.has(r.participantId)) continue;
    if (!byDay.has(r.day)) byDay.set(r.day, new Map());
    // Work in progress and removed days are history: neither a time nor a failure.
    if (wip.has(`${r.participantId}/${r.day}`) || r.removedAt) continue;
    const v = TIMED.has(r.status) ? methodValue(r, method) : null;
    if (v === null) failedSomewhere.add(String(r.participantId));
    // The confidence interval is the median's: other statistics tie only when equal.
    else byDay.get(r.day)!.set(String(r.participantId), method === 'median' ? { time: v, lo: r.ciLowMs, hi: r.ciHighMs } : { time: v });
  }
  const rankedByDay = new Map<number, Array<{ key: string; rank: number; tied: boolean; time: number }>>();
  const days = [...byDay.keys()].sort((a, b) => a - b).map((day): DayRanking => {
    const ranked = competitionRanks([...byDay.get(day)!].map(([key, t]) => ({ key, ...t })));
    rankedByDay.set(day, ranked);
    return { day, ids: ranked.map((r) => Number(r.key)), places: ranked.map((r) => r.rank), tied: ranked.map((r) => (r.tied ? 1 : 0)), leader: ranked[0]?.time ?? 0 };
  });
  const totals = leaderboardTotals(byDay, ids.map(String), failedSomewhere, rankedByDay);
  const rec = <V>(m: Map<string, V>): Record<number, V> => Object.fromEntries(m) as Record<number, V>;
  const pos = new Map(ids.map((id, i) => [id, i]));
  const points = (id: number) => totals.points.get(String(id)) ?? 0;
  const runtime = (id: number) => totals.runtime.get(String(id)) ?? 0;
  const complete = (id: number) => totals.complete.has(String(id));
  const order = [...ids].sort(
    (a, b) => (opts.podium ? points(b) - points(a) : 0) || Number(complete(b)) - Number(complete(a)) || runtime(a) - runtime(b) || pos.get(a)! - pos.get(b)!,
  );
  return {
    ids, order, podium: opts.podium,
    points: rec(totals.points), runtime: rec(totals.runtime), complete: [...totals.complete].map(Number),
    pointsMedals: rec(totals.pointsMedals), runtimeMedals: rec(totals.runtimeMedals), days,
  };
}

/** A participant's mark on a day: its place, whether shared, its medal (podium) or whether it is the fastest (no podium). */
export interface DayMark {
  place: number;
  of: number;
  /** As the grid marks it: with a podium, a shared place; without, a shared first place. */
  tied: boolean;
  /** The place is shared, whatever the mode. */
  shared: boolean;
  medal: Medal | null;
  best: boolean;
  /** The first place's time. */
  leader: number;
}

/** Per day, the marks of the given participants (a window's, or one participant's). */
export function dayMarks(ranking: BoardRanking, ids: number[]): Map<number, Map<number, DayMark>> {
  const want = new Set(ids);
  const out = new Map<number, Map<number, DayMark>>();
  for (const d of ranking.days) {
    const marks = new Map<number, DayMark>();
    const firsts = d.places.filter((p) => p === 1).length;
    d.ids.forEach((id, i) => {
      if (!want.has(id)) return;
      const place = d.places[i];
      const medal = ranking.podium && place <= 3 ? MEDALS[place - 1] : null;
      // Without a podium only a shared first place is marked tied (the fastest are highlighted, nothing else).
      const tied = ranking.podium ? d.tied[i] === 1 : place === 1 && firsts > 1;
      marks.set(id, { place, of: d.ids.length, tied, shared: d.tied[i] === 1, medal, best: !ranking.podium && place === 1, leader: d.leader });
    });
    out.set(d.day, marks);
  }
  return out;
}

/** Gold, silver and bronze days per participant. */
export function rankingMedals(ranking: BoardRanking): Map<number, { gold: number; silver: number; bronze: number }> {
  const out = new Map<number, { gold: number; silver: number; bronze: number }>();
  if (!ranking.podium) return out;
  for (const d of ranking.days) {
    d.ids.forEach((id, i) => {
      const p = d.places[i];
      if (p > 3) return;
      const m = out.get(id) ?? { gold: 0, silver: 0, bronze: 0 };
      m[MEDALS[p - 1]]++;
      out.set(id, m);
    });
  }
  return out;
}

/** The top `n` places of a day (ties at the cut included). */
export function dayTop(ranking: BoardRanking, day: number, n: number): number[] {
  const d = ranking.days.find((x) => x.day === day);
  if (!d) return [];
  const out: number[] = [];
  d.ids.forEach((id, i) => {
    if (i < n || d.places[i] === d.places[n - 1]) out.push(id);
  });
  return out;
}
