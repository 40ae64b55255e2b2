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
    // It runs down while a day runs.
    now = 130_000;
    expect(p.etaMs()).toBe(370_000);
  });

  it('puts [n/N] and the expected end on every line once days are planned, n being the day in progress', () => {
    let now = Date.UTC(2026, 11, 4, 6, 0, 0);
    const lines: string[] = [];
    const p = new Progress((l) => lines.push(l), () => now);
    p.info('alice: updating');
    p.plan(2, 2 * 60_000);
    p.step('alice', 1, 'timing');
    p.info('  alice day 1: correct median 1.000 ms');
    now += 60_000;
    p.finished(60_000);
    p.step('bob', 1, 'check');
    now += 60_000;
    p.finished(60_000);
    p.info('done');
    expect(lines).toEqual([
      'alice: updating',
      '[1/2] alice day 1: timing · ETA 2m00s, ends 06:02:00',
      '[1/2] alice day 1: correct median 1.000 ms · ETA 2m00s, ends 06:02:00',
      '[2/2] bob day 1: check · ETA 1m00s, ends 06:02:00',
      'done',
    ]);
  });
});
