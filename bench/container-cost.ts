/**
 * Fixed container cost per (participant, day): an aocbench session (one
 * container, a fresh copy of a 60-file tree, runonce + input + prerun + check
 * as agent round trips, the disk check, close) against AoCBench's three
 * `docker run --rm` per day, measured with tinybench in one run.
 * Goal: ≤ 0.5 s.
 */
import Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { Bench } from 'tinybench';
import { toCommandSpec } from '../lib/command.ts';
import { ensureBusyboxImage } from '../runner/demo/busybox-image.ts';
import { DEMO_IMAGE } from '../runner/demo/season.ts';
import { DockerExecutor } from '../runner/executor/docker.ts';

export async function containerCost(): Promise<void> {
  const docker = new Docker();
  await ensureBusyboxImage(new DockerExecutor(docker), DEMO_IMAGE);
  const executor = new DockerExecutor(docker);
  // A small repository: 12 days of code, inputs and answers, 3 kB a file.
  const tree = Array.from({ length: 60 }, (_, i) => ({ path: `${1 + (i % 12)}/f${i}.py`, kind: 'file' as const, mode: 0o644, data: Buffer.alloc(3000, 97) }));
  const spec = {
    name: 'aocbench-bench-cost', image: DEMO_IMAGE, workdir: '/code', env: [], code: '/code', tree, persistence: [],
    limits: { memoryMb: 256, pids: 64, outputBytes: 65536, diskBytes: 1 << 30 },
  };
  const noop = toCommandSpec('true');
  const input = 'x'.repeat(20_000);
  const bench = new Bench({ iterations: 12, warmupIterations: 2, time: 0 });
  bench
    .add('aocbench: one container per day (start + code copy, runonce, input, prerun, check, disk check, close)', async () => {
      const s = await executor.start(spec);
      await s.exec(noop, { timeoutMs: 10_000, capMode: 'kill' });
      await s.putFile('/code/1/input.txt', input);
      for (let i = 0; i < 2; i++) await s.exec(noop, { timeoutMs: 10_000, capMode: 'kill' });
      await s.checkDisk();
      await s.close();
    })
    .add('AoCBench: three `docker run --rm` per day', () => {
      for (let i = 0; i < 3; i++) execFileSync('docker', ['run', '--rm', '--network', 'none', DEMO_IMAGE, 'true'], { stdio: 'ignore' });
    });
  await bench.run();
  console.log('## Fixed container cost per (participant, day)');
  const rows = bench.tasks.map((t) => {
    const r = t.result as unknown as { latency?: { p50?: number; mean?: number }; mean?: number; p50?: number };
    const p50 = r.latency?.p50 ?? r.p50 ?? r.mean ?? NaN;
    return { name: t.name, p50 };
  });
  for (const r of rows) console.log(`${r.name}: median ${(r.p50 / 1000).toFixed(3)} s`);
  console.log(`ratio aocbench/AoCBench: ${(rows[0].p50 / rows[1].p50).toFixed(2)}×  goal: aocbench ≤ 0.5 s`);
}
