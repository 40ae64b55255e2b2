/**
 * What a timed run cost besides wall time, measured by the kernel (the agent's
 * meter, runner/agent/meter.c): the peak memory of its whole process tree and
 * the CPU time of all its processes. A result stores every run's and the
 * medians; memory is ranked with the same tie rule as time.
 */
import { computeStats, median } from './stats.ts';
import type { Timed } from './ranking.ts';
import { formatTime, type Unit } from './format.ts';

export interface RunUsage {
  /** Peak memory of the run's process tree, KiB. */
  peakKb: number;
  userMs: number;
  sysMs: number;
}

/** How peak memory was measured: a memory cgroup's high-water mark (the whole tree), or the largest single process (ru_maxrss). */
export type MemoryMeter = 'cgroup' | 'rusage';

export interface UsageSummary {
  peakMemoryKb: number;
  /** 95% interval of the median peak, KiB. */
  memoryLowKb: number;
  memoryHighKb: number;
  userMs: number;
  sysMs: number;
}

const mid = (xs: number[]) => median([...xs].sort((a, b) => a - b));

/** Medians (and the peak's interval) of a result's runs; null when none was measured. */
export function summariseUsage(usage: RunUsage[]): UsageSummary | null {
  if (usage.length === 0) return null;
  const peaks = computeStats(usage.map((u) => u.peakKb))!;
  return {
    peakMemoryKb: Math.round(peaks.median),
    memoryLowKb: peaks.ciLow,
    memoryHighKb: peaks.ciHigh,
    userMs: mid(usage.map((u) => u.userMs)),
    sysMs: mid(usage.map((u) => u.sysMs)),
  };
}

/**
 * The memory counter is exact to a page but charged in per-CPU batches of up
 * to 256 KiB, and a runtime's heap may land a little differently each run:
 * peaks within 2% and 256 KiB of each other are not a ranking.
 */
export const MEMORY_TOLERANCE = { relative: 0.01, kb: 128 };

/** A peak as a Timed value for lib/ranking.ts: its interval widened by the tolerance on each side. */
export function memoryTimed(r: { peakMemoryKb: number; memoryLowKb?: number | null; memoryHighKb?: number | null }): Timed {
  const lo = r.memoryLowKb ?? r.peakMemoryKb;
  const hi = r.memoryHighKb ?? r.peakMemoryKb;
  return {
    time: r.peakMemoryKb,
    lo: lo * (1 - MEMORY_TOLERANCE.relative) - MEMORY_TOLERANCE.kb,
    hi: hi * (1 + MEMORY_TOLERANCE.relative) + MEMORY_TOLERANCE.kb,
  };
}

/** CPU time over wall time: about 1 for a single-threaded solution, well above for a parallel one. */
export function cpuRatio(r: { userMs: number | null; sysMs: number | null; medianMs: number | null }): number | null {
  if (r.userMs == null || r.sysMs == null || !r.medianMs) return null;
  return (r.userMs + r.sysMs) / r.medianMs;
}

/** "12.3 MB", "840 KB": memory as people read it (1 MB = 1024 KiB, as `ps` and `time -v` count). */
export function formatMemory(kb: number | null | undefined): string {
  if (kb == null) return '—';
  if (kb < 1024) return `${Math.round(kb)} KB`;
  const mb = kb / 1024;
  if (mb < 10) return `${mb.toFixed(2)} MB`;
  if (mb < 1024) return `${mb.toFixed(1)} MB`;
  return `${(mb / 1024).toFixed(2)} GB`;
}

/** A result's memory and CPU time as lines of text (cell details, participant and day pages); none where not measured. */
export function usageLines(
  r: { peakMemoryKb: number | null; memoryMeter: string | null; userMs: number | null; sysMs: number | null; medianMs: number | null },
  time: (ms: number) => string,
): string[] {
  const out: string[] = [];
  if (r.peakMemoryKb != null) {
    out.push(`peak memory ${formatMemory(r.peakMemoryKb)}${r.memoryMeter === 'rusage' ? ' (largest process)' : ' (all processes)'}`);
  }
  const ratio = cpuRatio(r);
  if (ratio != null) {
    out.push(`CPU ${time(r.userMs! + r.sysMs!)} (user ${time(r.userMs!)}, sys ${time(r.sysMs!)}) = ${ratio.toFixed(2)}× wall${ratio >= 1.5 ? ': parallel' : ''}`);
  }
  return out;
}

/** "152 ms (1.01×)": CPU time of all processes and its ratio to wall time; empty where not measured. */
export function cpuText(r: { userMs: number | null; sysMs: number | null; medianMs: number | null }, unit: Unit): string {
  const ratio = cpuRatio(r);
  if (ratio == null) return '';
  return `${formatTime(r.userMs! + r.sysMs!, unit)} (${ratio.toFixed(2)}×)`;
}
