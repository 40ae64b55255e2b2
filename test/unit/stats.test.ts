import { describe, expect, it } from 'vitest';
import { computeStats, median, medianCiRanks } from '../../lib/stats.ts';

describe('stats', () => {
  it('median of odd and even counts', () => {
    expect(median([1, 2, 3])).toBe(2);
    expect(median([1, 2, 3, 10])).toBe(2.5);
  });
  it('computes min, max, mean, stddev and a median CI that contains the median', () => {
    const s = computeStats([5, 1, 4, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20])!;
    expect(s).toMatchObject({ n: 20, min: 1, max: 20, median: 10.5, mean: 10.5 });
    expect(s.stddev).toBeCloseTo(5.916, 3);
    expect(s.ciLow).toBeLessThanOrEqual(s.median);
    expect(s.ciHigh).toBeGreaterThanOrEqual(s.median);
    expect(medianCiRanks(20)).toEqual([6, 15]);
  });
  it('takes the narrowest order-statistic interval that holds the median 95% of the time (exact binomial)', () => {
    // The published table of distribution-free 95% intervals of the median.
    expect([5, 8, 9, 10, 20, 40, 100].map(medianCiRanks)).toEqual([[1, 5], [1, 8], [2, 8], [2, 9], [6, 15], [14, 27], [40, 61]]);
    // Its coverage, 1 − 2·P(Bin(n, ½) < j), reaches 95%; one rank narrower would not.
    const below = (n: number, j: number) => {
      let p = 0;
      let c = 1;
      for (let i = 0; i < j; i++) {
        p += c / 2 ** n;
        c = (c * (n - i)) / (i + 1);
      }
      return p;
    };
    for (let n = 6; n <= 60; n++) {
      const [j, k] = medianCiRanks(n);
      expect(k).toBe(n + 1 - j);
      expect(1 - 2 * below(n, j)).toBeGreaterThanOrEqual(0.95);
      expect(1 - 2 * below(n, j + 1)).toBeLessThan(0.95);
    }
  });
  it('is null without samples, and exact for identical samples', () => {
    expect(computeStats([])).toBeNull();
    expect(computeStats([2, 2, 2, 2, 2, 2, 2])?.relCi).toBe(0);
  });
});
