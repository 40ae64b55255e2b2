import { describe, expect, it } from 'vitest';
import type { Session } from '../../runner/executor/types.ts';
import type { MatrixJobData } from '../../runner/queue/payload.ts';
import { SandboxAhead } from '../../runner/queue/worker/sandbox-ahead.ts';

const job = (day: number): MatrixJobData => ({ solver: 'ada', commit: 'c'.repeat(40), day, solverVersion: 'v', imageKey: 'img', inputs: [], settings: undefined as never, queuedAt: 0 });

/** Sessions that record when they start and close; closing takes `closeMs`. */
function sessions(closeMs = 20) {
  const events: string[] = [];
  const start = async (d: MatrixJobData) => {
    events.push(`start ${d.day}`);
    await new Promise((r) => setTimeout(r, 10));
    return {
      close: async () => {
        await new Promise((r) => setTimeout(r, closeMs));
        events.push(`closed ${d.day}`);
      },
    } as unknown as Session;
  };
  return { events, start };
}

describe('sandboxes started ahead of a worker\'s next matrix job', () => {
  it('gives the job the sandbox started for it, once', async () => {
    const s = sessions();
    const ahead = new SandboxAhead(s.start);
    ahead.offer(job(2));
    ahead.offer(job(2));
    expect(await ahead.take(job(2))).not.toBeNull();
    expect(await ahead.take(job(2))).toBeNull();
    expect(s.events).toEqual(['start 2']);
  });

  it('closes a sandbox started for a job another worker took', async () => {
    const s = sessions();
    const ahead = new SandboxAhead(s.start);
    ahead.offer(job(2));
    expect(await ahead.take(job(3))).toBeNull();
    await ahead.settle();
    expect(s.events).toEqual(['start 2', 'closed 2']);
  });

  it('settle() returns only when every start and close is done: a timed job then has the host to itself', async () => {
    const s = sessions(50);
    const ahead = new SandboxAhead(s.start);
    ahead.closeLater(await s.start(job(1)));
    ahead.offer(job(2));
    await ahead.settle();
    expect(s.events.sort()).toEqual(['closed 1', 'closed 2', 'start 1', 'start 2']);
    expect(await ahead.take(job(2))).toBeNull();
  });
});
