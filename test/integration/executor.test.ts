import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCommandSpec } from '../../lib/command.ts';
import { DockerExecutor } from '../../runner/executor/docker.ts';
import type { Session } from '../../runner/executor/types.ts';
import { BUSYBOX_IMAGE, NOSHELL_IMAGE } from '../helpers/images.ts';
import { bareSpec } from '../helpers/sandbox.ts';

const limits = { memoryMb: 64, pids: 32, outputBytes: 4096, diskBytes: 1 << 30 };
const sh = (c: string) => toCommandSpec(c, true);
let s: Session;

beforeAll(async () => {
  s = await new DockerExecutor().start(bareSpec({ name: 'aocbench-test-sandbox', image: BUSYBOX_IMAGE, env: ['X=1'], limits }));
});
afterAll(async () => s?.close());

describe('the sandbox', () => {
  it('has no capabilities and no-new-privileges', async () => {
    const r = await s.exec(sh('grep -E "^(CapEff|NoNewPrivs)" /proc/self/status'), { timeoutMs: 5000, capMode: 'kill' });
    expect(r.output).toMatch(/CapEff:\s+0000000000000000/);
    expect(r.output).toMatch(/NoNewPrivs:\s+1/);
  });

  it('has no network but loopback', async () => {
    const r = await s.exec(sh('ls /sys/class/net'), { timeoutMs: 5000, capMode: 'kill' });
    expect(r.output.trim().split(/\s+/)).toEqual(['lo']);
  });

  it('has a memory limit without swap', async () => {
    const r = await s.exec(sh('cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory.swap.max'), { timeoutMs: 5000, capMode: 'kill' });
    const nums = r.output.trim().split(/\s+/);
    expect(Number(nums[0])).toBe(64 * 1024 * 1024);
    expect(['0', String(64 * 1024 * 1024)]).toContain(nums[1]);
  });

  it('stops a fork bomb at the pids limit', async () => {
    const r = await s.exec(sh('for i in $(seq 1 100); do sleep 5 & done; wait'), { timeoutMs: 3000, capMode: 'kill' });
    expect(r.output).toMatch(/can't fork|Resource temporarily unavailable|fork/i);
  });

  it('caps output and reports output-limit', async () => {
    const r = await s.exec(sh('yes'), { timeoutMs: 5000, capMode: 'kill' });
    expect(r.status).toBe('output-limit');
    expect(r.output.length).toBe(4096);
    const cut = await s.exec(sh('yes | head -c 10000; echo done >&2'), { timeoutMs: 5000, capMode: 'cut' });
    expect(cut).toMatchObject({ status: 'exit', code: 0, truncated: true });
  });

  it('kills a command at its timeout, with everything it started', async () => {
    const r = await s.exec(sh('sleep 60 & sleep 60'), { timeoutMs: 500, capMode: 'kill' });
    expect(r.status).toBe('timeout');
    const left = await s.exec(sh('ps | grep -c "[s]leep 60" || true'), { timeoutMs: 5000, capMode: 'kill' });
    expect(left.output.trim()).toBe('0');
  });

  it('times inside the container: samples near the real duration', async () => {
    const t = await s.time(toCommandSpec('usleep 20000'), { timeoutMs: 5000, warmup: 1, runs: 10, longAfterMs: 10000, longRuns: 5, veryLongAfterMs: 60000, veryLongRuns: 2 });
    expect(t.status).toBe('exit');
    expect(t.samplesMs).toHaveLength(10);
    for (const x of t.samplesMs) {
      expect(x).toBeGreaterThanOrEqual(20);
      expect(x).toBeLessThan(60);
    }
  });

  it('cuts the run count for long runs, as AoCBench', async () => {
    const t = await s.time(toCommandSpec('usleep 30000'), { timeoutMs: 5000, warmup: 0, runs: 20, longAfterMs: 20, longRuns: 3, veryLongAfterMs: 60000, veryLongRuns: 2 });
    expect(t.samplesMs).toHaveLength(3);
  });

  it('starts with fewer runs and no warm-up when the check run was slow (decided in the agent only)', async () => {
    const t = await s.time(toCommandSpec('usleep 1000'), { timeoutMs: 5000, warmup: 1, runs: 20, longAfterMs: 20, longRuns: 3, veryLongAfterMs: 60000, veryLongRuns: 2, priorMs: 25 });
    expect(t.samplesMs).toHaveLength(3);
    expect(t.runOutputs).toHaveLength(3);
    const vlong = await s.time(toCommandSpec('usleep 1000'), { timeoutMs: 5000, warmup: 1, runs: 20, longAfterMs: 20, longRuns: 3, veryLongAfterMs: 50, veryLongRuns: 2, priorMs: 60 });
    expect(vlong.samplesMs).toHaveLength(2);
  });
});

describe('images without a shell', () => {
  it('runs direct commands and shell commands through the mounted busybox', async () => {
    const n = await new DockerExecutor().start(bareSpec({ name: 'aocbench-test-noshell', image: NOSHELL_IMAGE, env: ['X=42'], limits }));
    try {
      const direct = await n.exec(toCommandSpec('/bin/busybox echo hello'), { timeoutMs: 5000, capMode: 'kill' });
      expect(direct.output).toBe('hello\n');
      const viaShell = await n.exec(sh('echo "x is $X" && echo $((6*7))'), { timeoutMs: 5000, capMode: 'kill' });
      expect(viaShell.output).toBe('x is 42\n42\n');
      const missing = await n.exec(toCommandSpec('/nonexistent'), { timeoutMs: 5000, capMode: 'kill' });
      expect(missing.status).toBe('spawn-error');
    } finally {
      await n.close();
    }
  });
});
