import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { toCommandSpec } from '../../lib/command.ts';
import { nativeTime } from '../../runner/host/native-time.ts';

const policy = { timeoutMs: 60_000, warmup: 0, runs: 3, longAfterMs: 1e9, longRuns: 3, veryLongAfterMs: 1e9, veryLongRuns: 3 };

/** The agent run on the host (doctor's noise measure, the benchmarks' baseline): its times, and its deadline. */
describe('the agent run natively', () => {
  it('times a command on the host', async () => {
    const r = await nativeTime(toCommandSpec("/bin/sh -c 'i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done'"), policy);
    expect([r.status, r.code]).toEqual(['exit', 0]);
    expect(r.samplesMs).toHaveLength(3);
    for (const ms of r.samplesMs) expect(ms).toBeGreaterThan(0);
  });

  it('is killed at its deadline, and says so', async () => {
    const t0 = Date.now();
    await expect(nativeTime(toCommandSpec('/bin/sleep 30'), policy, 500)).rejects.toThrow(/no reply within 0.5 s/);
    expect(Date.now() - t0).toBeLessThan(5_000);
    // The run went with it: no sleep left behind.
    await new Promise((r) => setTimeout(r, 300));
    expect(execFileSync('ps', ['-eo', 'args']).toString()).not.toMatch(/^\/bin\/sleep 30$/m);
  });
});
