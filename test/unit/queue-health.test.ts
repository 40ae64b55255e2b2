import { describe, expect, it } from 'vitest';
import { classWorkers, noWorkerMessage, WORKER_SILENT_MS } from '../../lib/queue-health.ts';

const ago = (ms: number) => `${Math.round(ms / 1000)} s`;

describe('whether a hardware class has a worker', () => {
  const now = 1_000_000;
  it('counts only live workers of that class', () => {
    const ws = [
      { hardwareClass: 'fast', seenAt: now - 1000 },
      { hardwareClass: 'fast', seenAt: now - WORKER_SILENT_MS - 1 },
      { hardwareClass: 'slow', seenAt: now },
    ];
    expect(classWorkers(ws, 'fast', now)).toEqual({ live: 1, lastSeenAt: now - 1000 });
    expect(noWorkerMessage(ws, 'fast', now, ago)).toBeNull();
  });

  it('says so when none was ever seen, or when all went silent', () => {
    expect(noWorkerMessage([{ hardwareClass: 'slow', seenAt: now }], 'fast', now, ago)).toMatch(/No worker of hardware class "fast" has been seen yet.*aocbench worker --class fast/);
    expect(noWorkerMessage([{ hardwareClass: 'fast', seenAt: now - 90_000 }], 'fast', now, ago)).toMatch(/"fast" has been heard from for 90 s/);
  });
});
