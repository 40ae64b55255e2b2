/**
 * How sure the fidelity benchmark's own figures are. A spread (CV) estimated
 * from ten session medians is itself uncertain by about ±25%, so a ratio of
 * two of them can read 0.6× or 1.4× on the same machine: each ratio and share
 * is printed with its 95% interval, and a goal is judged only when the
 * interval says so.
 */

import { computeStats } from '../lib/stats.ts';

/** Deterministic resampling, so one run's intervals can be compared with another's. */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

export const cvOf = (xs: number[]): number => {
  const s = computeStats(xs)!;
  return s.stddev / s.mean;
};

/** Percentile bootstrap of cv(ours) / cv(native), each side resampled on its own. */
export function cvRatioInterval(ours: number[], native: number[], rounds = 4000): [number, number] {
  const next = rng(22);
  const pick = (xs: number[]) => xs.map(() => xs[Math.floor(next() * xs.length)]);
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const n = cvOf(pick(native));
    if (n > 0) ratios.push(cvOf(pick(ours)) / n);
  }
  ratios.sort((a, b) => a - b);
  return [ratios[Math.floor(0.025 * ratios.length)], ratios[Math.ceil(0.975 * ratios.length) - 1]];
}

/** Wilson's 95% interval of a share of `n` trials. */
export function shareInterval(hits: number, n: number): [number, number] {
  const z = 1.96;
  const p = hits / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = ((z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n)));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Whether a figure meets `goal` (at most, or at least), and whether its 95% interval is sure of it. */
export function judge(value: number, [lo, hi]: [number, number], goal: number, atMost: boolean): string {
  const meets = (x: number) => (atMost ? x <= goal : x >= goal);
  const verdict = meets(value) ? 'met' : 'missed';
  return meets(lo) === meets(hi) ? verdict : `${verdict}, within this run's noise of the goal`;
}
