/**
 * Why the VM executor exists: the same fixed memory-heavy solution, timed
 * with and without a neighbour process that fragments host memory, in Docker
 * mode and in VM mode, interleaved. Reports each mode's coefficient of
 * variation (stddev / mean) and median, quiet against noisy. Under software
 * emulation (no usable KVM, as on the development machine) the VM side only
 * proves the experiment runs; on a KVM host it gives the real figures.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCommandSpec } from '../lib/command.ts';
import { computeStats } from '../lib/stats.ts';
import { ensureBusyboxImage } from '../runner/demo/busybox-image.ts';
import { DEMO_IMAGE } from '../runner/demo/season.ts';
import { DockerExecutor } from '../runner/executor/docker.ts';
import type { Executor, Session, SessionSpec } from '../runner/executor/types.ts';
import { VmExecutor } from '../runner/executor/vm/vm.ts';

const SRC = join(import.meta.dirname, 'fragmentation');

function compile(name: string, dir: string): string {
  const out = join(dir, name);
  execFileSync('cc', ['-static', '-O2', '-o', out, join(SRC, `${name}.c`)]);
  return out;
}

const cv = (xs: number[]) => {
  const s = computeStats(xs)!;
  return { cv: s.stddev / s.mean, median: s.median };
};

export async function fragmentation(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aocbench-frag-'));
  const memwalk = readFileSync(compile('memwalk', dir));
  const fragmenter = compile('fragmenter', dir);
  const docker = new DockerExecutor();
  await ensureBusyboxImage(docker, DEMO_IMAGE);
  const image = (await docker.prepareImage({ kind: 'image', ref: DEMO_IMAGE })).imageId!;
  const vm = new VmExecutor({ dataDir: join(dir, 'data'), vm: { accel: 'auto', hugepages: false }, warn: (m) => console.log(`(${m})`) });
  const vmProblem = await vm.unavailable();
  const accel = vmProblem ? null : (await vm.guestBoot()).accel;
  // Software emulation is some hundred times slower: a smaller walk and fewer runs, enough to show it works.
  const emulated = accel === 'tcg';
  const mb = emulated ? 8 : 256;
  const runs = emulated ? 5 : 30;
  const spec = (name: string): SessionSpec => ({
    name, image, workdir: '/code', env: [], code: '/code', tree: [{ path: 'memwalk', kind: 'file', mode: 0o755, data: memwalk }], persistence: [],
    limits: { memoryMb: 1024, pids: 64, outputBytes: 4096, diskBytes: 256 << 20 },
  });
  const modes: Array<{ name: string; executor: Executor }> = [{ name: 'docker', executor: docker }, ...(accel ? [{ name: `vm (${accel})`, executor: vm }] : [])];
  const sessions = new Map<string, Session>();
  for (const m of modes) sessions.set(m.name, await m.executor.start(spec(`aocbench-bench-frag-${m.name.replace(/\W/g, '')}`)));
  const samples = new Map(modes.flatMap((m) => [[`${m.name}/quiet`, [] as number[]], [`${m.name}/noisy`, [] as number[]]]));
  const policy = { timeoutMs: 600_000, warmup: 1, runs, longAfterMs: 1e9, longRuns: runs, veryLongAfterMs: 1e9, veryLongRuns: runs };
  const cmd = toCommandSpec(`/code/memwalk ${mb}`);
  try {
    for (let round = 0; round < 2; round++) {
      for (const noisy of [false, true]) {
        const neighbour = noisy ? spawn(fragmenter, ['1024'], { stdio: 'ignore' }) : null;
        if (neighbour) await new Promise((r) => setTimeout(r, 4000)); // let it scatter memory (then it sleeps)
        try {
          for (const m of modes) samples.get(`${m.name}/${noisy ? 'noisy' : 'quiet'}`)!.push(...(await sessions.get(m.name)!.time(cmd, policy)).samplesMs);
        } finally {
          neighbour?.kill('SIGKILL');
        }
      }
    }
  } finally {
    for (const s of sessions.values()) await s.close();
  }
  console.log(`## Memory fragmentation: memwalk ${mb} MB, ${runs} runs × 2 rounds per cell, a neighbour holding 1 GB scattered in 4 kB pages (and no CPU)`);
  if (vmProblem) console.log(`VM mode skipped: ${vmProblem}`);
  for (const m of modes) {
    const q = cv(samples.get(`${m.name}/quiet`)!);
    const n = cv(samples.get(`${m.name}/noisy`)!);
    console.log(`${m.name.padEnd(12)} quiet: median ${q.median.toFixed(2)} ms, CV ${(q.cv * 100).toFixed(1)}%   noisy: median ${n.median.toFixed(2)} ms, CV ${(n.cv * 100).toFixed(1)}%   noisy/quiet median ${(n.median / q.median).toFixed(3)}×`);
  }
  if (emulated) console.log('(the VM ran under software emulation: its figures show the experiment works, not what KVM would measure)');
}
