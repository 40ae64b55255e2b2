/**
 * Whether a hardware class has a worker: heartbeats come every 2 s, so one
 * silent for this long is gone (killed, or its host is down) or cut off.
 */
export const WORKER_SILENT_MS = 30_000;

export interface Heartbeat {
  hardwareClass: string;
  seenAt: number;
}

/** The live workers of a class, and when any worker of it was last heard from. */
export function classWorkers(workers: Heartbeat[], hardwareClass: string, now: number): { live: number; lastSeenAt: number | null } {
  const mine = workers.filter((w) => w.hardwareClass === hardwareClass);
  return {
    live: mine.filter((w) => now - w.seenAt < WORKER_SILENT_MS).length,
    lastSeenAt: mine.length ? Math.max(...mine.map((w) => w.seenAt)) : null,
  };
}

/** What to say while jobs of a class wait with no live worker to take them; null when one is there. */
export function noWorkerMessage(workers: Heartbeat[], hardwareClass: string, now: number, ago: (ms: number) => string): string | null {
  const { live, lastSeenAt } = classWorkers(workers, hardwareClass, now);
  if (live) return null;
  const when = lastSeenAt === null ? 'has been seen yet' : `has been heard from for ${ago(now - lastSeenAt)}`;
  return `No worker of hardware class "${hardwareClass}" ${when}: its jobs wait in the queue until \`aocbench worker --class ${hardwareClass}\` runs on a benchmark host.`;
}
