/**
 * Where the wall time of a bench or matrix run goes. Foreground phases are
 * what the run waited for, one after the other, so they add up to the wall
 * time ("other" is the rest); overlapped work (syncs and builds side by side,
 * sandboxes started or closed in the background) is counted apart, because
 * its time is hidden behind the foreground's. performance.now() only: a
 * phase costs a Map update.
 */

export type Phase =
  | 'process start'
  | 'open'
  | 'sync'
  | 'load'
  | 'plan'
  | 'image'
  | 'sandbox start'
  | 'runonce'
  | 'untimed'
  | 'wait for untimed work'
  | 'timed runs'
  // A queued job's whole day (runonce, check and timed runs), as a worker logs it.
  | 'run day'
  | 'disk check'
  | 'close'
  | 'storage';

export interface PhaseTotal {
  phase: Phase | 'other';
  ms: number;
  count: number;
}

export interface ProfileReport {
  /** From the start of the run (or of the process, when given) to `report()`. */
  wallMs: number;
  /** In the order they first happened; "other" last. */
  foreground: PhaseTotal[];
  /** Work that ran beside the foreground: its time is not part of the wall's sum. */
  overlapped: PhaseTotal[];
}

export class Profile {
  private readonly t0 = performance.now();
  private readonly fg = new Map<Phase, PhaseTotal>();
  private readonly bg = new Map<Phase, PhaseTotal>();

  /** `processStartMs`: how long the process ran before the run began (the command line's start-up), counted in the wall. */
  constructor(private readonly processStartMs: number | null = null) {
    if (processStartMs !== null) this.add('process start', processStartMs);
  }

  add(phase: Phase, ms: number, overlapped = false): void {
    const m = overlapped ? this.bg : this.fg;
    const t = m.get(phase) ?? m.set(phase, { phase, ms: 0, count: 0 }).get(phase)!;
    t.ms += ms;
    t.count++;
  }

  /** Times `f` as one occurrence of `phase`, whether it succeeds or throws. */
  async time<T>(phase: Phase, f: () => Promise<T>, overlapped = false): Promise<T> {
    const t = performance.now();
    try {
      return await f();
    } finally {
      this.add(phase, performance.now() - t, overlapped);
    }
  }

  timeSync<T>(phase: Phase, f: () => T): T {
    const t = performance.now();
    try {
      return f();
    } finally {
      this.add(phase, performance.now() - t);
    }
  }

  report(): ProfileReport {
    const wallMs = performance.now() - this.t0 + (this.processStartMs ?? 0);
    const foreground = [...this.fg.values()].map((p) => ({ ...p }));
    const sum = foreground.reduce((a, p) => a + p.ms, 0);
    foreground.push({ phase: 'other', ms: Math.max(0, wallMs - sum), count: 0 });
    return { wallMs, foreground, overlapped: [...this.bg.values()].map((p) => ({ ...p })) };
  }
}

/** The breakdown as a table: phase, total seconds, share of the wall time, count. */
export function formatProfile(r: ProfileReport): string {
  const pct = (ms: number) => (r.wallMs > 0 ? `${((ms / r.wallMs) * 100).toFixed(1)}%` : '-');
  const row = (p: PhaseTotal, indent = '') => [`${indent}${p.phase}`, (p.ms / 1000).toFixed(3), pct(p.ms), p.count ? String(p.count) : ''];
  const rows = [
    ['phase', 'total s', '% wall', 'count'],
    ...r.foreground.map((p) => row(p)),
    ['wall', (r.wallMs / 1000).toFixed(3), '100.0%', ''],
    ...(r.overlapped.length ? [['overlapped (hidden behind the rows above, not in the wall)', '', '', ''], ...r.overlapped.map((p) => row(p, '  '))] : []),
  ];
  const body = rows.filter((x) => x[1] !== '');
  const w = [0, 1, 2, 3].map((i) => Math.max(...body.map((x) => x[i].length)));
  return `${rows.map((x) => (x[1] === '' ? x[0] : [x[0].padEnd(w[0]), x[1].padStart(w[1]), x[2].padStart(w[2]), x[3].padStart(w[3])].join('  ').trimEnd())).join('\n')}\n`;
}
