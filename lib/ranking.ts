/** AoCBench ranking rules: per-day podium, competition ranks and leaderboard totals. */
export type Medal = 'gold' | 'silver' | 'bronze';

const MEDALS: Medal[] = ['gold', 'silver', 'bronze'];
const MEDAL_POINTS = [4, 3, 2];

export type Ranked<T> = T & { rank: number; diffFirst: number; diffPrev: number };

/** Standard competition ranking (1, 1, 3); equal times are ordered by submission time, then key. */
export function competitionRanks<T extends { key: string; time: number; at?: number }>(
  entries: T[],
): Ranked<T>[] {
  const sorted = [...entries].sort(
    (a, b) =>
      a.time - b.time ||
      (a.at ?? Infinity) - (b.at ?? Infinity) ||
      // Infinity - Infinity is NaN, which || treats as "equal" and falls through to the key.
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const out: Ranked<T>[] = [];
  sorted.forEach((e, i) => {
    const prev = out[i - 1];
    out.push({
      ...e,
      rank: prev && prev.time === e.time ? prev.rank : i + 1,
      diffFirst: i === 0 ? 0 : e.time - out[0].time,
      diffPrev: prev ? e.time - prev.time : 0,
    });
  });
  return out;
}

/**
 * AoCBench compares each time with the first three slots of the sorted list, not with distinct
 * values: tied golds use up the silver slot, so [1, 1, 2] gives gold, gold, bronze.
 */
export function dayPodium(times: Map<string, number>): {
  medals: Map<string, Medal>;
  points: Map<string, number>;
} {
  const slots = [...times.values()].sort((a, b) => a - b).slice(0, 3);
  const medals = new Map<string, Medal>();
  const points = new Map<string, number>();
  for (const [who, t] of times) {
    const slot = slots.indexOf(t);
    if (slot >= 0) medals.set(who, MEDALS[slot]);
    points.set(who, slot >= 0 ? MEDAL_POINTS[slot] : 1);
  }
  return { medals, points };
}

/** Participants sharing the minimal time (highlight when the podium is off). */
export function fastest(times: Map<string, number>): Set<string> {
  const min = Math.min(...times.values());
  return new Set([...times].filter(([, t]) => t === min).map(([who]) => who));
}

export interface LeaderboardTotals {
  points: Map<string, number>;
  runtime: Map<string, number>;
  /** Has a time on every day on which anybody has one. */
  complete: Set<string>;
  pointsMedals: Map<string, Medal>;
  runtimeMedals: Map<string, Medal>;
}

export function leaderboardTotals(
  days: Map<number, Map<string, number>>,
  participants: string[],
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
    const podium = dayPodium(times);
    for (const [who, t] of times) {
      points.set(who, (points.get(who) ?? 0) + podium.points.get(who)!);
      runtime.set(who, (runtime.get(who) ?? 0) + t);
      daysWithTime.set(who, (daysWithTime.get(who) ?? 0) + 1);
    }
  }
  const complete = new Set([...points.keys()].filter((p) => (daysWithTime.get(p) ?? 0) === validDays));
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
