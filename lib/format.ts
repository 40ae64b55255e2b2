/** Display units and aggregation methods for timings (all inputs in milliseconds). */
export type Unit = 's' | 'ms' | 'us';
export const UNITS: Unit[] = ['s', 'ms', 'us'];

export type Method = 'median' | 'min' | 'mean' | 'max';
export const METHODS: Method[] = ['median', 'min', 'mean', 'max'];

// Fixed locale so server-rendered output does not depend on the host; 'negative' avoids "-0.00".
const nf = (digits: number) =>
  new Intl.NumberFormat('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    signDisplay: 'negative',
  });

const UNIT_FORMAT: Record<Unit, { scale: number; nf: Intl.NumberFormat; suffix: string }> = {
  s: { scale: 1e-3, nf: nf(3), suffix: ' s' },
  ms: { scale: 1, nf: nf(2), suffix: ' ms' },
  us: { scale: 1e3, nf: nf(0), suffix: ' µs' },
};

/** Milliseconds to the unit, and its label, for charts that plot raw numbers. */
export const unitScale = (unit: Unit): number => UNIT_FORMAT[unit].scale;
export const unitLabel = (unit: Unit): string => UNIT_FORMAT[unit].suffix.trim();

export function formatTime(ms: number, unit: Unit): string {
  const f = UNIT_FORMAT[unit];
  return f.nf.format(ms * f.scale) + f.suffix;
}

/** Shown instead of a number when there is no difference. */
export const ZERO_DIFF = '–';

export function formatDiff(ms: number, unit: Unit): string {
  if (ms === 0) return ZERO_DIFF;
  return (ms > 0 ? '+' : '') + formatTime(ms, unit);
}

export function parseMethod(s: string | undefined): Method {
  return (METHODS as string[]).includes(s ?? '') ? (s as Method) : 'median';
}

export function parseUnit(s: string | undefined): Unit {
  return (UNITS as string[]).includes(s ?? '') ? (s as Unit) : 'ms';
}

export interface MethodStats {
  medianMs: number | null;
  minMs: number | null;
  meanMs: number | null;
  maxMs: number | null;
}

export function methodValue(stats: MethodStats, m: Method): number | null {
  switch (m) {
    case 'median':
      return stats.medianMs;
    case 'min':
      return stats.minMs;
    case 'mean':
      return stats.meanMs;
    case 'max':
      return stats.maxMs;
  }
}

/** A short duration for ETAs: 45s, 3m07s, 1h05m. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** A code version or image id as rows show it: each hash in it cut to 7 characters (the whole one goes in a title). */
export function shortHash(v: string): string {
  return v.replace(/^sha256:/, '').split(':').map((part) => (/^[0-9a-f]{8,}$/.test(part) ? part.slice(0, 7) : part)).join(':');
}
