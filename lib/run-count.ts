import { computeStats } from './stats.ts';

/**
 * Why a day's timed runs stopped: its fixed count (`repeat.runs`), the
 * interval target, the run cap, the time budget, or the target out of reach
 * (more runs within the cap and budget would not get there).
 */
export type StopReason = 'fixed' | 'target' | 'run cap' | 'time budget' | 'out of reach';

export interface RunCountPolicy {
  /** A fixed count; unset: adaptive, between minRuns and maxRuns. */
  runs?: number;
  /** Stop once the median's 95% interval is within ± this share of it. */
  targetCi: number;
  minRuns: number;
  maxRuns: number;
  /** Timed-run seconds a day may spend. */
  budgetSec: number;
}

/** The smallest batch after the first: each `time` call has a round trip; five runs are a few milliseconds of it. */
const MIN_BATCH = 5;

/**
 * The next batch of timed runs after `samples`, or why timing stops. Pure:
 * the caller runs the batch and asks again. Adaptive runs start with
 * `minRuns`, then add half as many again (at least five) until the interval
 * is tight enough, the cap is reached or the budget would be passed.
 *
 * A median's interval narrows as 1/√n for times that come from one steady
 * distribution, so n·(width/target)² runs would reach the target. From
 * 4·minRuns runs on (before that a few slow runs widen it much more than later), a day whose
 * projection is beyond the cap or the budget stops there: times in two
 * groups (a bimodal solution, a noisy neighbour) do not narrow with more
 * runs, and spending the cap on them buys nothing. `cut`:
 * the last batch came back short (the agent cuts the runs of a slow day), so
 * no more are asked for.
 */
export function nextRuns(p: RunCountPolicy, samples: number[], cut = false): { runs: number } | { stop: StopReason } {
  const n = samples.length;
  if (p.runs !== undefined) return n === 0 ? { runs: p.runs } : { stop: 'fixed' };
  if (n === 0) return { runs: p.minRuns };
  const stats = computeStats(samples)!;
  if (stats.relCi <= p.targetCi) return { stop: 'target' };
  if (cut || n >= p.maxRuns) return { stop: 'run cap' };
  const left = p.budgetSec * 1000 - samples.reduce((a, b) => a + b, 0);
  const fit = stats.median > 0 ? Math.floor(left / stats.median) : Infinity;
  if (n >= 4 * p.minRuns && n * (stats.relCi / p.targetCi) ** 2 > n + Math.min(p.maxRuns - n, fit)) return { stop: 'out of reach' };
  const runs = Math.min(Math.max(MIN_BATCH, Math.ceil(n / 2)), p.maxRuns - n, fit);
  return runs < 1 ? { stop: 'time budget' } : { runs };
}

/** How the timed runs are described while they run (the live banner). */
export function runCountLabel(p: RunCountPolicy & { warmup: number }): string {
  const warm = p.warmup ? `${p.warmup} warm-up + ` : '';
  if (p.runs !== undefined) return `${warm}up to ${p.runs} runs`;
  return `${warm}${p.minRuns}–${p.maxRuns} runs until the median is known to ±${+(p.targetCi * 100).toFixed(1)}% (at most ${p.budgetSec} s)`;
}
