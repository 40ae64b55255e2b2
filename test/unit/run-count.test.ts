/**
 * Adaptive run counts (issue 22): the policy alone (lib/run-count.ts), then a
 * whole bench cycle through the fake executor with a steady and a noisy
 * solution, stored with how many runs were made and why they stopped.
 */
import { describe, expect, it } from 'vitest';
import { parseInstanceConfig } from '../../lib/instance-config.ts';
import { nextRuns, type RunCountPolicy } from '../../lib/run-count.ts';
import { computeStats } from '../../lib/stats.ts';
import { bench } from '../../runner/cycle/bench.ts';
import { FakeExecutor } from '../../runner/executor/fake.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { quietProgress, withDb, writeInstance } from '../helpers/instance.ts';

const adaptive: RunCountPolicy = { targetCi: 0.03, minRuns: 10, maxRuns: 60, budgetSec: 30 };
const steady = (n: number, ms = 10) => Array.from({ length: n }, (_, i) => ms * (1 + (i % 3) * 0.001));
/** Deterministic noise: ±40% around 10 ms. */
const noisy = (n: number, from = 0) => Array.from({ length: n }, (_, i) => 10 * (0.6 + (((from + i) * 7919) % 97) / 121));
/** Milder noise, ±10%: more runs narrow its interval within the cap. */
const mild = (n: number) => Array.from({ length: n }, (_, i) => 10 * (0.9 + ((i * 7919) % 97) / 485));
/** Two groups of times, 10 ms and 13 ms, alternating: the median's interval spans the gap however many runs. */
const twoGroups = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 ? 13 : 10) * (1 + ((i * 31) % 7) / 1000));

describe('the run-count policy', () => {
  it('a fixed count is one batch of repeat.runs', () => {
    expect(nextRuns({ ...adaptive, runs: 20 }, [])).toEqual({ runs: 20 });
    expect(nextRuns({ ...adaptive, runs: 20 }, noisy(20))).toEqual({ stop: 'fixed' });
  });

  it('starts with minRuns and stops as soon as the interval is within the target', () => {
    expect(nextRuns(adaptive, [])).toEqual({ runs: 10 });
    expect(computeStats(steady(10))!.relCi).toBeLessThan(0.03);
    expect(nextRuns(adaptive, steady(10))).toEqual({ stop: 'target' });
  });

  it('adds half as many runs again (at least five) while the interval is wide, up to the cap', () => {
    const wide = { ...adaptive, targetCi: 0.01, maxRuns: 400 };
    expect(nextRuns(wide, mild(10))).toEqual({ runs: 5 });
    expect(nextRuns(wide, mild(30))).toEqual({ runs: 15 });
    expect(nextRuns({ ...wide, targetCi: 0.005, maxRuns: 400, minRuns: 300, budgetSec: 1e6 }, mild(390))).toEqual({ runs: 10 });
    expect(nextRuns(adaptive, noisy(10))).toEqual({ runs: 5 });
    expect(nextRuns({ ...adaptive, minRuns: 40 }, noisy(60))).toEqual({ stop: 'run cap' });
    // A batch the agent cut short (a slow day) ends the timing.
    expect(nextRuns(adaptive, noisy(10), true)).toEqual({ stop: 'run cap' });
  });

  it('stops once the target is out of reach: the interval, narrowing as 1/√n, would not get there within the cap', () => {
    // Before 4 × minRuns a few slow runs widen the interval too much to project from.
    expect(nextRuns(adaptive, twoGroups(35))).toHaveProperty('runs');
    expect(nextRuns(adaptive, twoGroups(40))).toEqual({ stop: 'out of reach' });
    expect(nextRuns(adaptive, noisy(40))).toEqual({ stop: 'out of reach' });
    // Mild noise that more runs do narrow goes on.
    const rel = computeStats(mild(40))!.relCi;
    expect(rel).toBeGreaterThan(0.03);
    expect(40 * (rel / 0.03) ** 2).toBeLessThan(60);
    expect(nextRuns(adaptive, mild(40))).toHaveProperty('runs');
  });

  it('never plans past the time budget', () => {
    // 10 runs of about 1 s spent of a 12 s budget: two more fit.
    const slow = noisy(10).map((x) => x * 100);
    const spent = slow.reduce((a, b) => a + b, 0);
    const r = nextRuns({ ...adaptive, budgetSec: (spent + 2.5 * computeStats(slow)!.median) / 1000 }, slow);
    expect(r).toEqual({ runs: 2 });
    expect(nextRuns({ ...adaptive, budgetSec: spent / 1000 }, slow)).toEqual({ stop: 'time budget' });
  });
});

/** Runs the policy on a simulated day whose runs vary log-normally by `cv`, with a seeded generator; the mean run count. */
function meanRuns(p: RunCountPolicy, cv: number, days = 300): number {
  let x = 42;
  const uniform = () => ((x = (x * 1664525 + 1013904223) >>> 0) + 1) / (2 ** 32 + 1);
  const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  let total = 0;
  for (let d = 0; d < days; d++) {
    const samples: number[] = [];
    for (let next = nextRuns(p, samples); 'runs' in next; next = nextRuns(p, samples)) {
      for (let i = 0; i < next.runs; i++) samples.push(10 * Math.exp(cv * gauss()));
    }
    total += samples.length;
  }
  return total / days;
}

describe('the default policy', () => {
  it('times a steady day fewer times than a fixed 20 (why the default target is ±5%, not ±3%)', () => {
    const defaults = parseInstanceConfig('year: 2024\nparticipants: []\n').repeat;
    expect(defaults.targetCi).toBe(0.05);
    // Days that vary 3% and 5% run to run, as the demo's do on a quiet machine.
    expect(meanRuns(defaults, 0.03)).toBeLessThan(12);
    expect(meanRuns(defaults, 0.05)).toBeLessThan(16);
    // ±3% would cost more than the fixed 20 at 5%.
    expect(meanRuns({ ...defaults, targetCi: 0.03 }, 0.05)).toBeGreaterThan(20);
  });
});

describe('a bench cycle with adaptive run counts', () => {
  it('times a steady day the minimum number of times and a noisy one until the interval is tight or the cap; each stored with why it stopped', async () => {
    const base = tempDir();
    const repo = (cmd: string) => makeRepo({ '.aocbench.yaml': `version: 1\nimage: fake/img:1\ncmd: ${cmd} %input%\n`, '1/sol': 'x', '1/input.txt': '1\n2\n3\n', '1/answers.txt': '6\n3\n' }, base);
    const participants = [{ name: 'steady', repo: repo('steady').url }, { name: 'noisy', repo: repo('noisy').url }, { name: 'fixed', repo: repo('fixed').url }];
    const config = writeInstance(base, { year: 2024, days: 1, repeat: { warmup: 1, minRuns: 10, maxRuns: 40, targetCi: 0.05 }, participants });
    const executor = new FakeExecutor(({ argv, nth }) => ({ output: 'Part 1: 6\nPart 2: 3\n', ms: argv[0] === 'noisy' ? noisy(1, nth)[0] : 10 }));
    await bench({ config, executor, progress: quietProgress() });
    const rows = withDb(base, (db) => db.$client.prepare('SELECT p.name, r.sample_count AS n, r.stop_reason AS why, r.ci_low_ms AS lo, r.ci_high_ms AS hi, r.median_ms AS m FROM day_results r JOIN participants p ON p.id = r.participant_id ORDER BY p.name').all()) as Array<{ name: string; n: number; why: string; lo: number; hi: number; m: number }>;
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(by.steady).toMatchObject({ n: 10, why: 'target' });
    expect(by.noisy.n).toBeGreaterThan(10);
    expect(by.noisy.n).toBeLessThanOrEqual(40);
    if (by.noisy.why === 'target') expect((by.noisy.hi - by.noisy.lo) / 2 / by.noisy.m).toBeLessThanOrEqual(0.05);
    else expect(['run cap', 'out of reach']).toContain(by.noisy.why);
    // `repeat.runs` keeps its meaning: a fixed count, in an instance that sets it.
    const fixedConfig = writeInstance(base, { year: 2024, days: 1, repeat: { runs: 7, warmup: 0 }, participants });
    await bench({ config: fixedConfig, executor, force: true, participant: 'fixed', progress: quietProgress() });
    const fixed = withDb(base, (db) => db.$client.prepare("SELECT r.sample_count AS n, r.stop_reason AS why FROM day_results r JOIN participants p ON p.id = r.participant_id WHERE p.name = 'fixed'").get());
    expect(fixed).toEqual({ n: 7, why: 'fixed' });
  });
});
