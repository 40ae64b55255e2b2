import { describe, expect, it } from 'vitest';
import { dayMarks, dayTop, rankBoard, rankingMedals, type BoardRanking } from '../../lib/board-ranking.ts';
import { buildLeaderboard, participantStanding, type LbResult } from '../../lib/leaderboard.ts';
import { competitionRanks, leaderboardTotals, type Timed } from '../../lib/ranking.ts';

/** A small deterministic generator: the same board on every run. */
function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

function board(n: number, days: number, seed = 7) {
  const r = rng(seed);
  const participants = Array.from({ length: n }, (_, i) => ({ id: i + 1, name: `p${i + 1}`, language: 'awk', subheading: null, repo: '', branch: null }));
  const results: LbResult[] = [];
  for (const p of participants) {
    for (let day = 1; day <= days; day++) {
      const x = r();
      if (x < 0.1) continue; // not solved
      const status = x < 0.15 ? 'wrong' : 'correct';
      // Coarse times so that equal times and overlapping intervals both happen.
      const median = 10 + Math.floor(r() * 20);
      const half = r() < 0.5 ? 0 : r() * 3;
      results.push({
        participantId: p.id, day, status, medianMs: status === 'correct' ? median : null, meanMs: median + 1, minMs: median - 1, maxMs: median + 2,
        ciLowMs: median - half, ciHighMs: median + half, samples: 10, runAt: 1, version: 'v', removedAt: x > 0.97 ? 5 : null,
      });
    }
  }
  return { participants, results, wip: new Set([`3/2`]) };
}

const roundTrip = (r: BoardRanking): BoardRanking => JSON.parse(JSON.stringify(r)) as BoardRanking;

describe('the whole board ranked apart from its cells', () => {
  const { participants, results, wip } = board(60, 6);
  const full = buildLeaderboard({ participants, results, history: [], method: 'median', podium: true, year: 2025, wip });
  const ranking = roundTrip(rankBoard({ ids: participants.map((p) => p.id), results, method: 'median', podium: true, wip }));

  it('a window of the board, built from the stored ranking, has the same cells, medals, ties and totals as the whole board', () => {
    const window = [...participants].reverse().filter((p) => p.id % 7 === 0 || p.id === 3);
    const lb = buildLeaderboard({ participants: window, results, history: [], method: 'median', podium: true, year: 2025, wip, ranking });
    expect(lb.rows.map((r) => r.day)).toEqual(full.rows.map((r) => r.day));
    for (const [i, row] of lb.rows.entries()) {
      for (const c of row.cells) {
        const whole = full.rows[i].cells.find((x) => x.participantId === c.participantId)!;
        expect({ medal: c.medal, tied: c.tied, best: c.best, value: c.value, status: c.status }).toEqual({ medal: whole.medal, tied: whole.tied, best: whole.best, value: whole.value, status: whole.status });
      }
    }
    for (const p of window) {
      expect(lb.points.get(p.id)).toBe(full.points.get(p.id));
      expect(lb.runtime.get(p.id)).toBe(full.runtime.get(p.id));
      expect(lb.complete.has(p.id)).toBe(full.complete.has(p.id));
    }
    // The medal cells are where a podium is; the board has some, and some ties.
    expect(full.rows.flatMap((r) => r.cells).filter((c) => c.medal).length).toBeGreaterThan(6);
    expect(full.rows.flatMap((r) => r.cells).some((c) => c.tied)).toBe(true);
  });

  it("a participant's places are competition ranks among the day's times (ties shared), after the JSON round trip", () => {
    for (const id of [1, 3, 17, 60]) {
      const s = participantStanding(ranking, id)!;
      expect(s.rank).toBe(ranking.order.indexOf(id) + 1);
      for (const row of full.rows) {
        const timed = row.cells.filter((c) => c.value !== null);
        const ranks = competitionRanks(timed.map((c) => ({ key: String(c.participantId), time: c.value!, lo: c.result!.ciLowMs, hi: c.result!.ciHighMs })));
        const mine = ranks.find((x) => x.key === String(id));
        expect(s.places.get(row.day) ?? null).toEqual(mine ? { place: mine.rank, of: timed.length, tied: mine.tied, leader: ranks[0].time } : null);
      }
    }
  });

  it('medal counts and the order of standing follow the points', () => {
    const medals = rankingMedals(ranking);
    const gold = full.rows.flatMap((r) => r.cells).filter((c) => c.medal === 'gold').length;
    expect([...medals.values()].reduce((a, m) => a + m.gold, 0)).toBe(gold);
    const pts = ranking.order.map((id) => ranking.points[id]);
    expect(pts).toEqual([...pts].sort((a, b) => b - a));
  });

  it("a day's top includes everyone tied at the cut", () => {
    const r = rankBoard({
      ids: [1, 2, 3, 4],
      results: [10, 20, 20, 30].map((t, i) => ({ participantId: i + 1, day: 1, status: 'correct', medianMs: t, meanMs: t, minMs: t, maxMs: t, ciLowMs: t, ciHighMs: t })),
      method: 'median', podium: true,
    });
    expect(dayTop(r, 1, 2)).toEqual([1, 2, 3]);
    expect(dayTop(r, 1, 1)).toEqual([1]);
    expect(dayMarks(r, [3]).get(1)!.get(3)).toMatchObject({ place: 2, tied: true, medal: 'silver' });
  });

  it('totals from ranks the caller already has are the totals', () => {
    const days = new Map<number, Map<string, Timed>>();
    for (const r of results) {
      if (r.status !== 'correct' || r.removedAt) continue;
      if (!days.has(r.day)) days.set(r.day, new Map());
      days.get(r.day)!.set(String(r.participantId), { time: r.medianMs!, lo: r.ciLowMs, hi: r.ciHighMs });
    }
    const ids = participants.map((p) => String(p.id));
    const ranked = new Map([...days].map(([d, m]) => [d, competitionRanks([...m].map(([key, t]) => ({ key, ...t })))]));
    expect(leaderboardTotals(days, ids, new Set(), ranked)).toEqual(leaderboardTotals(days, ids));
  });
});
