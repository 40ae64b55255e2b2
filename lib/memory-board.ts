/**
 * The memory view: who solves each day in the least memory, among correct
 * solutions, ranked as times are (lib/ranking.ts: competition ranks, ties
 * where intervals overlap, 4/3/2/1 points), with memory's own tie rule
 * (lib/usage.ts memoryTimed: the median peak's interval and a tolerance).
 */
import { competitionRanks, leaderboardTotals, type Medal, type Ranked, type Timed } from './ranking.ts';
import { memoryTimed } from './usage.ts';

export interface MemoryResult {
  participantId: number;
  day: number;
  status: string;
  removedAt?: number | null;
  peakMemoryKb: number | null;
  memoryLowKb: number | null;
  memoryHighKb: number | null;
}

export type MemoryPlace = Ranked<Timed & { key: string; participantId: number; medal: Medal | null }>;

export interface MemoryBoard {
  /** Per day, every correct result with a peak, best first. */
  days: Array<{ day: number; ranked: MemoryPlace[] }>;
  /** Participants by memory points (then fewer days missing), with their medal counts. */
  standings: Array<{ participantId: number; rank: number; points: number; days: number; gold: number; silver: number; bronze: number; medal: Medal | null }>;
}

const MEDALS: Medal[] = ['gold', 'silver', 'bronze'];

export function memoryBoard(results: MemoryResult[], participantIds: number[]): MemoryBoard {
  const ids = new Set(participantIds);
  const byDay = new Map<number, Map<string, Timed>>();
  for (const r of results) {
    if (r.status !== 'correct' || r.removedAt || r.peakMemoryKb == null || !ids.has(r.participantId)) continue;
    const m = byDay.get(r.day) ?? new Map<string, Timed>();
    m.set(String(r.participantId), memoryTimed({ peakMemoryKb: r.peakMemoryKb, memoryLowKb: r.memoryLowKb, memoryHighKb: r.memoryHighKb }));
    byDay.set(r.day, m);
  }
  const days = [...byDay.keys()].sort((a, b) => a - b).map((day) => ({
    day,
    ranked: competitionRanks([...byDay.get(day)!].map(([key, t]) => ({ key, ...t, participantId: Number(key), medal: null as Medal | null }))).map((r) => ({
      ...r, medal: r.rank <= 3 ? MEDALS[r.rank - 1] : null,
    })),
  }));
  const totals = leaderboardTotals(byDay, participantIds.map(String), new Set(), new Map(days.map((d) => [d.day, d.ranked])));
  const medals = new Map<number, { gold: number; silver: number; bronze: number; days: number }>();
  for (const d of days) {
    for (const r of d.ranked) {
      const m = medals.get(r.participantId) ?? { gold: 0, silver: 0, bronze: 0, days: 0 };
      m.days++;
      if (r.medal) m[r.medal]++;
      medals.set(r.participantId, m);
    }
  }
  const rows = [...medals].map(([participantId, m]) => ({ participantId, points: totals.points.get(String(participantId)) ?? 0, ...m }));
  rows.sort((a, b) => b.points - a.points || b.gold - a.gold || b.silver - a.silver || a.participantId - b.participantId);
  // Equal points share a rank (1, 1, 3) and a medal; the next distinct total takes the next medal.
  let rank = 0;
  let distinct = -1;
  const standings = rows.map((r, i) => {
    if (i === 0 || r.points !== rows[i - 1].points) {
      rank = i + 1;
      distinct++;
    }
    return { ...r, rank, medal: distinct < 3 ? MEDALS[distinct] : null };
  });
  return { days, standings };
}
