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
 * Ranks j..k (1-based) of the narrowest distribution-free interval
 * [X(j), X(k)], k = n + 1 − j, that holds the median with at least 95%
 * probability: 1 − 2·P(Bin(n, ½) ≤ j − 1) ≥ 0.95, from the exact binomial
 * (a normal approximation was a rank or two wider than needed at small n:
 * min–max at 10 runs, where 2nd–9th already holds it 97.9% of the time).
 * Below 6 samples no interval reaches 95%: the full range is the best we can say.
 */
export function medianCiRanks(n: number): [number, number] {
  if (n < 6) return [1, n];
  // P(X ≤ i) for X ~ Bin(n, ½), summed in log space so that large n does not underflow.
  let logPmf = -n * Math.LN2;
  let cdf = 0;
  let j = 1;
  for (let i = 0; i < n; i++) {
    cdf += Math.exp(logPmf);
    // With j = i + 2 the interval leaves out ranks up to i + 1 on each side: P(X ≤ i + 1) must stay ≤ 2.5%.
    const next = cdf + Math.exp(logPmf + Math.log((n - i) / (i + 1)));
    if (next > 0.025) break;
    j = i + 2;
    logPmf += Math.log((n - i) / (i + 1));
  }
  return [j, n + 1 - j];
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
