import { describe, expect, it } from 'vitest';
import { competitionRanks, dayPodium, fastest, leaderboardTotals } from '../../lib/ranking.ts';

const m = (o: Record<string, number>) => new Map(Object.entries(o));
const obj = <V>(map: Map<string, V>) => Object.fromEntries(map);

describe('competitionRanks', () => {
  it('gives tied times the same rank and skips the next (1, 1, 3) with diffs', () => {
    const r = competitionRanks([
      { key: 'c', time: 15 },
      { key: 'b', time: 10 },
      { key: 'a', time: 10 },
      { key: 'd', time: 20 },
    ]);
    expect(r.map((e) => [e.key, e.rank, e.diffFirst, e.diffPrev])).toEqual([
      ['a', 1, 0, 0],
      ['b', 1, 0, 0],
      ['c', 3, 5, 5],
      ['d', 4, 10, 5],
    ]);
  });
  it('orders equal times by `at`, earlier first, missing last, then key', () => {
    const r = competitionRanks([
      { key: 'a', time: 5 },
      { key: 'z', time: 5, at: 200 },
      { key: 'y', time: 5, at: 100 },
      { key: 'b', time: 5 },
      { key: 'x', time: 1, at: 999 },
    ]);
    expect(r.map((e) => e.key)).toEqual(['x', 'y', 'z', 'a', 'b']);
    expect(r.map((e) => e.rank)).toEqual([1, 2, 2, 2, 2]);
  });
  it('keeps extra fields and does not mutate the input', () => {
    const input = [
      { key: 'b', time: 2, name: 'Bea' },
      { key: 'a', time: 1, name: 'Al' },
    ];
    const r = competitionRanks(input);
    expect(r[0]).toEqual({ key: 'a', time: 1, name: 'Al', rank: 1, tied: false, diffFirst: 0, diffPrev: 0 });
    expect(input[0].key).toBe('b');
    expect(competitionRanks([])).toEqual([]);
  });
});

describe('dayPodium', () => {
  it('distinct times: gold, silver, bronze, then 1 point', () => {
    const p = dayPodium(m({ a: 1, b: 2, c: 3, d: 4 }));
    expect(obj(p.medals)).toEqual({ a: 'gold', b: 'silver', c: 'bronze' });
    expect(obj(p.points)).toEqual({ a: 4, b: 3, c: 2, d: 1 });
  });
  it('two tied fastest: two golds, no silver, the next time gets bronze', () => {
    const p = dayPodium(m({ a: 1, b: 1, c: 2, d: 3 }));
    expect(obj(p.medals)).toEqual({ a: 'gold', b: 'gold', c: 'bronze' });
    expect(obj(p.points)).toEqual({ a: 4, b: 4, c: 2, d: 1 });
  });
  it('ties at third place share bronze', () => {
    const p = dayPodium(m({ a: 1, b: 2, c: 3, d: 3, e: 4 }));
    expect(obj(p.medals)).toEqual({ a: 'gold', b: 'silver', c: 'bronze', d: 'bronze' });
    expect(obj(p.points)).toEqual({ a: 4, b: 3, c: 2, d: 2, e: 1 });
  });
  it('tied second place uses up the bronze slot', () => {
    const p = dayPodium(m({ a: 1, b: 2, c: 2, d: 3 }));
    expect(obj(p.medals)).toEqual({ a: 'gold', b: 'silver', c: 'silver' });
    expect(obj(p.points)).toEqual({ a: 4, b: 3, c: 3, d: 1 });
  });
  it('three tied fastest: three golds, no silver or bronze', () => {
    const p = dayPodium(m({ a: 7, b: 7, c: 7, d: 8 }));
    expect(obj(p.medals)).toEqual({ a: 'gold', b: 'gold', c: 'gold' });
    expect(obj(p.points)).toEqual({ a: 4, b: 4, c: 4, d: 1 });
  });
  it('all equal times are all gold', () => {
    const p = dayPodium(m({ a: 3, b: 3, c: 3, d: 3, e: 3 }));
    expect([...p.medals.values()]).toEqual(['gold', 'gold', 'gold', 'gold', 'gold']);
    expect([...p.points.values()]).toEqual([4, 4, 4, 4, 4]);
  });
  it('fewer than three participants give fewer medals', () => {
    const two = dayPodium(m({ a: 9, b: 3 }));
    expect(obj(two.medals)).toEqual({ a: 'silver', b: 'gold' });
    expect(obj(two.points)).toEqual({ a: 3, b: 4 });
    expect(obj(dayPodium(m({ a: 5 })).points)).toEqual({ a: 4 });
    expect(dayPodium(new Map()).medals.size).toBe(0);
  });
});

describe('fastest', () => {
  it('returns every participant with the minimal time', () => {
    expect([...fastest(m({ a: 2, b: 1, c: 1 }))].sort()).toEqual(['b', 'c']);
    expect([...fastest(m({ a: 2 }))]).toEqual(['a']);
    expect(fastest(new Map()).size).toBe(0);
  });
});

describe('leaderboardTotals', () => {
  it('sums points and runtime and gives medals among complete participants', () => {
    const days = new Map([
      [1, m({ a: 1, b: 2, c: 3, d: 4 })],
      [2, m({ a: 10, b: 10, c: 30, d: 40 })],
    ]);
    const t = leaderboardTotals(days, ['a', 'b', 'c', 'd']);
    // day 1: 4,3,2,1; day 2: a,b gold (4), c bronze (2), d 1
    expect(obj(t.points)).toEqual({ a: 8, b: 7, c: 4, d: 2 });
    expect(obj(t.runtime)).toEqual({ a: 11, b: 12, c: 33, d: 44 });
    expect([...t.complete].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(obj(t.pointsMedals)).toEqual({ a: 'gold', b: 'silver', c: 'bronze' });
    expect(obj(t.runtimeMedals)).toEqual({ a: 'gold', b: 'silver', c: 'bronze' });
  });
  it('a participant missing a day is not complete and gets no total medals despite most points', () => {
    const days = new Map([
      [1, m({ a: 1, b: 2, c: 3 })],
      [2, m({ a: 1, b: 2, c: 3 })],
      [3, m({ b: 5, c: 6 })],
    ]);
    const t = leaderboardTotals(days, ['a', 'b', 'c', 'z']);
    expect(obj(t.points)).toEqual({ a: 8, b: 10, c: 7, z: 0 });
    expect(obj(t.runtime)).toEqual({ a: 2, b: 9, c: 12, z: 0 });
    expect([...t.complete].sort()).toEqual(['b', 'c']);
    expect(obj(t.pointsMedals)).toEqual({ b: 'gold', c: 'silver' });
    expect(obj(t.runtimeMedals)).toEqual({ b: 'gold', c: 'silver' });

    // a leads on points here but misses day 3
    const t2 = leaderboardTotals(
      new Map([
        [1, m({ a: 1, b: 2, c: 3 })],
        [2, m({ a: 1, b: 2, c: 3 })],
        [3, m({ a: 1, b: 2, c: 3 })],
        [4, m({ b: 2, c: 3 })],
      ]),
      ['a', 'b', 'c'],
    );
    expect(t2.points.get('a')).toBe(12);
    expect(t2.points.get('b')).toBe(13);
    expect(t2.complete.has('a')).toBe(false);
    expect(t2.pointsMedals.has('a')).toBe(false);
    expect(t2.runtimeMedals.has('a')).toBe(false);
  });
  it('point medals go to the top three distinct values, ties share', () => {
    const days = new Map([
      [1, m({ a: 1, b: 1, c: 2, d: 3, e: 4 })],
    ]);
    const t = leaderboardTotals(days, ['a', 'b', 'c', 'd', 'e']);
    expect(obj(t.points)).toEqual({ a: 4, b: 4, c: 2, d: 1, e: 1 });
    // distinct values 4, 2, 1: unlike the day podium, the tie does not use up silver
    expect(obj(t.pointsMedals)).toEqual({ a: 'gold', b: 'gold', c: 'silver', d: 'bronze', e: 'bronze' });
    // runtime uses the slot rule: 1, 1, 2 → gold, gold, bronze
    expect(obj(t.runtimeMedals)).toEqual({ a: 'gold', b: 'gold', c: 'bronze' });
  });
  it('ignores empty days and gives nobody medals when there are no times', () => {
    const t = leaderboardTotals(new Map([[1, m({ a: 2, b: 1 })], [2, new Map()]]), ['a', 'b']);
    expect([...t.complete].sort()).toEqual(['a', 'b']);
    expect(obj(t.runtimeMedals)).toEqual({ a: 'silver', b: 'gold' });

    const none = leaderboardTotals(new Map([[1, new Map()]]), ['a', 'b']);
    expect(obj(none.points)).toEqual({ a: 0, b: 0 });
    expect(obj(none.runtime)).toEqual({ a: 0, b: 0 });
    expect(none.pointsMedals.size).toBe(0);
    expect(none.runtimeMedals.size).toBe(0);
  });
});

describe('ties by confidence interval', () => {
  it('results whose 95% CIs overlap share the better place, its medal and its points', () => {
    const p = dayPodium(new Map([
      ['a', { time: 10, lo: 9.5, hi: 10.6 }],
      ['b', { time: 10.4, lo: 10.1, hi: 11 }], // overlaps a
      ['c', { time: 12, lo: 11.8, hi: 12.3 }],
      ['d', { time: 20, lo: 19, hi: 21 }],
    ]));
    expect(Object.fromEntries(p.medals)).toEqual({ a: 'gold', b: 'gold', c: 'bronze' });
    expect(Object.fromEntries(p.points)).toEqual({ a: 4, b: 4, c: 2, d: 1 });
    expect([...p.tied].sort()).toEqual(['a', 'b']);
  });

  it('a tie is with the group\'s fastest: a chain of overlaps does not make everyone equal', () => {
    const r = competitionRanks([
      { key: 'a', time: 10, lo: 9, hi: 11 },
      { key: 'b', time: 10.8, lo: 10.5, hi: 11.6 }, // overlaps a
      { key: 'c', time: 11.5, lo: 11.2, hi: 12 }, // overlaps b, not a: a new place
    ]);
    expect(r.map((e) => [e.key, e.rank, e.tied])).toEqual([['a', 1, true], ['b', 1, true], ['c', 3, false]]);
  });

  it('without confidence intervals, only equal times tie', () => {
    expect(competitionRanks([{ key: 'a', time: 1 }, { key: 'b', time: 1.01 }]).map((e) => e.rank)).toEqual([1, 2]);
  });
});

describe('completeness of the Runtime row', () => {
  it('a participant with a failed day is not complete, even where nobody else has a time', () => {
    const days = new Map([[1, new Map([['a', 5], ['b', 6]])], [2, new Map<string, number>()]]);
    const t = leaderboardTotals(days, ['a', 'b'], new Set(['a']));
    expect([...t.complete]).toEqual(['b']);
    expect(t.runtimeMedals.get('b')).toBe('gold');
    expect(t.runtimeMedals.has('a')).toBe(false);
  });
});
