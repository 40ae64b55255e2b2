/** Statistics of timing samples (milliseconds). */
export interface SampleStats {
  n: number;
  median: number;
  mean: number;
  min: number;
  max: number;
  stddev: number;
  /** 95% distribution-free confidence interval of the median (order statistics). */
  ciLow: number;
  ciHigh: number;
  /** Half the CI width relative to the median: "how sure" in one number. */
  relCi: number;
}

export function median(sorted: number[]): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = Math.floor(n / 2);
  return n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Ranks j..k (1-based) with P(X(j) <= median <= X(k)) ≈ 95%, from the normal
 * approximation of the binomial; below 6 samples the full range is the best we can say.
 */
export function medianCiRanks(n: number): [number, number] {
  if (n < 6) return [1, n];
  const half = (1.96 * Math.sqrt(n)) / 2;
  const j = Math.max(1, Math.floor(n / 2 - half));
  const k = Math.min(n, Math.ceil(1 + n / 2 + half));
  return [j, k];
}

export function computeStats(samples: number[]): SampleStats | null {
  const n = samples.length;
  if (n === 0) return null;
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? s.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  const med = median(s);
  const [j, k] = medianCiRanks(n);
  const ciLow = s[j - 1];
  const ciHigh = s[k - 1];
  return {
    n,
    median: med,
    mean,
    min: s[0],
    max: s[n - 1],
    stddev: Math.sqrt(variance),
    ciLow,
    ciHigh,
    relCi: med > 0 ? (ciHigh - ciLow) / 2 / med : 0,
  };
}
