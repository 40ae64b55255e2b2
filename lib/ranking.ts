/** AoCBench ranking rules: per-day podium, competition ranks and leaderboard totals. */
export type Medal = 'gold' | 'silver' | 'bronze';

const MEDALS: Medal[] = ['gold', 'silver', 'bronze'];
const MEDAL_POINTS = [4, 3, 2];

export type Ranked<T> = T & { rank: number; tied: boolean; diffFirst: number; diffPrev: number };

/** A time, with the 95% confidence interval of its median where it has one. */
export interface Timed {
  time: number;
  lo?: number | null;
  hi?: number | null;
}

/** Equal times, or overlapping confidence intervals: the difference is noise, not a ranking. */
export function indistinguishable(a: Timed, b: Timed): boolean {
  if (a.time === b.time) return true;
  return a.lo != null && a.hi != null && b.lo != null && b.hi != null && a.lo <= b.hi && b.lo <= a.hi;
}

/**
 * Standard competition ranking (1, 1, 3) where noise is not a ranking: in
 * time order, a result ties with the fastest of the group before it when the
 * two are indistinguishable (equal, or their 95% CIs overlap); a group shares
 * its best place. Equal times are ordered by submission time, then key.
 */
export function competitionRanks<T extends Timed & { key: string; at?: number }>(entries: T[]): Ranked<T>[] {
  const sorted = [...entries].sort(
    (a, b) =>
      a.time - b.time ||
      (a.at ?? Infinity) - (b.at ?? Infinity) ||
      // Infinity - Infinity is NaN, which || treats as "equal" and falls through to the key.
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const out: Ranked<T>[] = [];
  let leader: { e: T; rank: number } | null = null;
  sorted.forEach((e, i) => {
    const prev = out[i - 1];
    if (!leader || !indistinguishable(leader.e, e)) leader = { e, rank: i + 1 };
    out.push({ ...e, rank: leader.rank, tied: false, diffFirst: i === 0 ? 0 : e.time - out[0].time, diffPrev: prev ? e.time - prev.time : 0 });
  });
  // Tied: another result has the same rank (counted once: a day of 10,000 results must not cost 10,000² steps).
  const perRank = new Map<number, number>();
  for (const r of out) perRank.set(r.rank, (perRank.get(r.rank) ?? 0) + 1);
  for (const r of out) r.tied = perRank.get(r.rank)! > 1;
  return out;
}

/** 4, 3 and 2 points for gold, silver and bronze, 1 for any other time. */
export const rankPoints = (rank: number): number => (rank <= 3 ? MEDAL_POINTS[rank - 1] : 1);

const asTimed = (t: number | Timed): Timed => (typeof t === 'number' ? { time: t } : t);

/**
 * A day's podium: medals by competition rank (ties share the better place and
 * its points: [1, 1, 2] gives gold, gold, bronze, as AoCBench's slots), 4, 3
 * and 2 points for gold, silver and bronze, 1 for any other time.
 */
export function dayPodium(times: Map<string, number | Timed>): {
  medals: Map<string, Medal>;
  points: Map<string, number>;
  tied: Set<string>;
} {
  const ranked = competitionRanks([...times].map(([key, t]) => ({ key, ...asTimed(t) })));
  const medals = new Map<string, Medal>();
  const points = new Map<string, number>();
  for (const r of ranked) {
    if (r.rank <= 3) medals.set(r.key, MEDALS[r.rank - 1]);
    points.set(r.key, rankPoints(r.rank));
  }
  return { medals, points, tied: new Set(ranked.filter((r) => r.tied).map((r) => r.key)) };
}

/** Participants sharing the first place (highlight when the podium is off). */
export function fastest(times: Map<string, number | Timed>): Set<string> {
  return new Set(competitionRanks([...times].map(([key, t]) => ({ key, ...asTimed(t) }))).filter((r) => r.rank === 1).map((r) => r.key));
}

export interface LeaderboardTotals {
  points: Map<string, number>;
  runtime: Map<string, number>;
  /** Every day it attempted is correct, and it has a time on every day on which anybody has one. */
  complete: Set<string>;
  pointsMedals: Map<string, Medal>;
  runtimeMedals: Map<string, Medal>;
}

export function leaderboardTotals(
  days: Map<number, Map<string, number | Timed>>,
  participants: string[],
  /** Participants with a day that did not end in a time (wrong, error, timeout, …). */
  failedSomewhere: Set<string> = new Set(),
  /** Each day's competition ranks where the caller has them already (a day of 10,000 is not ranked twice). */
  ranked?: Map<number, Array<{ key: string; rank: number }>>,
): LeaderboardTotals {
  const points = new Map<string, number>();
  const runtime = new Map<string, number>();
  const daysWithTime = new Map<string, number>();
  for (const p of participants) {
    points.set(p, 0);
    runtime.set(p, 0);
  }
  let validDays = 0;
  // Sorted so float sums do not depend on map insertion order.
  for (const day of [...days.keys()].sort((a, b) => a - b)) {
    const times = days.get(day)!;
    if (times.size === 0) continue;
    validDays++;
    const dayPoints = ranked?.has(day) ? new Map(ranked.get(day)!.map((r) => [r.key, rankPoints(r.rank)])) : dayPodium(times).points;
    for (const [who, t] of times) {
      points.set(who, (points.get(who) ?? 0) + dayPoints.get(who)!);
      runtime.set(who, (runtime.get(who) ?? 0) + asTimed(t).time);
      daysWithTime.set(who, (daysWithTime.get(who) ?? 0) + 1);
    }
  }
  const complete = new Set([...points.keys()].filter((p) => (daysWithTime.get(p) ?? 0) === validDays && !failedSomewhere.has(p)));
  const pointsMedals = new Map<string, Medal>();
  let runtimeMedals = new Map<string, Medal>();
  if (validDays > 0) {
    // Points: ties share a medal and the next distinct value takes the next one.
    const distinct = [...new Set([...complete].map((p) => points.get(p)!))].sort((a, b) => b - a);
    for (const p of complete) {
      const i = distinct.indexOf(points.get(p)!);
      if (i < 3) pointsMedals.set(p, MEDALS[i]);
    }
    runtimeMedals = dayPodium(new Map([...complete].map((p) => [p, runtime.get(p)!]))).medals;
  }
  return { points, runtime, complete, pointsMedals, runtimeMedals };
}
