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
    expect(medianCiRanks(20)).toEqual([5, 16]);
  });
  it('is null without samples, and exact for identical samples', () => {
    expect(computeStats([])).toBeNull();
    expect(computeStats([2, 2, 2, 2, 2, 2, 2])?.relCi).toBe(0);
  });
});
