import { describe, expect, it } from 'vitest';
import { Progress } from '../../runner/report/progress.ts';

describe('progress ETA', () => {
  it('starts from the estimates and follows the pace of the run', () => {
    let now = 0;
    const p = new Progress(() => {}, () => now);
    p.plan(10, 10 * 5000);
    expect(p.etaMs()).toBe(50_000);
    // The first day took 50 s where 5 s was estimated: the other nine are expected to take as long.
    now = 50_000;
    p.finished(5000);
    expect(p.etaMs()).toBe(450_000);
    now = 100_000;
    p.finished(5000);
    expect(p.etaMs()).toBe(400_000);
  });
});
