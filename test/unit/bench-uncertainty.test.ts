import { describe, expect, it } from 'vitest';
import { cvOf, cvRatioInterval, judge, shareInterval } from '../../bench/uncertainty.ts';

/** The fidelity benchmark's own error bars: wrong ones would call a goal met (or missed) on noise. */
describe('the fidelity benchmark states how sure its figures are', () => {
  it("gives Wilson's interval of a share (published values)", () => {
    const [lo, hi] = shareInterval(10, 10);
    expect(lo).toBeCloseTo(0.7225, 3);
    expect(hi).toBe(1);
    const [lo2, hi2] = shareInterval(8, 16);
    expect(lo2).toBeCloseTo(0.28, 2);
    expect(hi2).toBeCloseTo(0.72, 2);
  });

  it('puts a spread ratio of two samples of one distribution around 1, and a doubled spread above it', () => {
    const a = [100, 101, 99, 102, 98, 100.5, 99.5, 101.5, 98.5, 100];
    const b = a.map((x) => 100 + (x - 100) * 1.02);
    const [lo, hi] = cvRatioInterval(a, b);
    expect(lo).toBeLessThan(1);
    expect(hi).toBeGreaterThan(1);
    const wide = a.map((x) => 100 + (x - 100) * 2);
    const [lo2] = cvRatioInterval(wide, a);
    // Even a doubled spread is only known to be above 1.1× or so from ten sessions: why the ratios carry intervals.
    expect(lo2).toBeGreaterThan(1);
    expect(lo2).toBeLessThan(1.5);
    expect(cvOf(wide) / cvOf(a)).toBeCloseTo(2, 1);
  });

  it('judges a goal by the figure, and says when the interval straddles it', () => {
    expect(judge(0.7, [0.5, 0.9], 1.1, true)).toBe('met');
    expect(judge(0.7, [0.4, 1.4], 1.1, true)).toBe("met, within this run's noise of the goal");
    expect(judge(1.5, [1.2, 1.9], 1.1, true)).toBe('missed');
    expect(judge(1, [0.72, 1], 0.95, false)).toBe("met, within this run's noise of the goal");
    expect(judge(0.5, [0.3, 0.7], 0.8, false)).toBe('missed');
  });
});
