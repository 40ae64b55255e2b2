/**
 * What timing integrity costs (issue 20): every run starts from the state
 * recorded after runonce, prerun and the input (`mark`), so after each run the
 * agent walks every writable file system and removes what the run left.
 * Measured on two images, in one run, rounds alternating: the demo's busybox
 * image (a few files) and one that also holds a copy of the host's /usr/share
 * (~58,000 entries, as many as a large language image). For each: the time to
 * record the state, the host's time per timed run beyond the samples (spawn,
 * wait, and now the walk), and the median sample of a no-op and of a ~5 ms
 * shell loop, marked against not marked: the walk happens between samples,
 * outside them, but it leaves the CPU's caches colder for the next run.
 *
 * `npm run bench -- state`; $STATE_ROUNDS rounds (default 4).
 */
import Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { toCommandSpec } from '../lib/command.ts';
import { median } from '../lib/stats.ts';
import { ensureBusyboxImage } from '../runner/demo/busybox-image.ts';
import { DEMO_IMAGE } from '../runner/demo/season.ts';
import { DockerExecutor } from '../runner/executor/docker.ts';
import type { Session } from '../runner/executor/types.ts';

const BIG_IMAGE = 'aocbench-bench-state-big:1';
const RUNS = 50;
/** A no-op, and a few milliseconds of a shell loop. */
const WORKLOADS = [['no-op', '/.aocbench/busybox true'], ['~5 ms loop', "/.aocbench/busybox sh -c 'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done'"]] as const;
const policy = { timeoutMs: 10_000, warmup: 1, runs: RUNS, longAfterMs: 1e9, longRuns: RUNS, veryLongAfterMs: 1e9, veryLongRuns: RUNS };

/** The busybox image plus /usr/share of this host, imported (no registry here). */
function ensureBigImage(): void {
  try {
    execFileSync('docker', ['image', 'inspect', BIG_IMAGE], { stdio: 'ignore' });
    return;
  } catch {}
  execFileSync('sh', ['-c', `docker create --name aocbench-state-src ${DEMO_IMAGE} true >/dev/null && docker export aocbench-state-src > /tmp/aocbench-state.tar && docker rm aocbench-state-src >/dev/null && tar -rf /tmp/aocbench-state.tar /usr/share 2>/dev/null; docker import /tmp/aocbench-state.tar ${BIG_IMAGE} >/dev/null; rm -f /tmp/aocbench-state.tar`]);
}

interface Round { markMs: number; perRunMs: number; sampleMs: number }

async function round(executor: DockerExecutor, image: string, marked: boolean, cmd: string): Promise<Round> {
  const session: Session = await executor.start({
    name: `aocbench-bench-state-${Date.now()}`, image, workdir: '/code', env: [], code: '/code', tree: [], persistence: [],
    limits: { memoryMb: 256, pids: 64, outputBytes: 65536, diskBytes: 1 << 30 },
  });
  try {
    let markMs = 0;
    if (marked) {
      const t = performance.now();
      const problem = await session.mark();
      markMs = performance.now() - t;
      if (problem) throw new Error(problem);
    }
    const t = performance.now();
    const r = await session.time(toCommandSpec(cmd), policy);
    const total = performance.now() - t;
    if (r.status !== 'exit' || r.changed) throw new Error(`${r.status} ${r.changed ?? ''}`);
    const sum = r.samplesMs.reduce((a, b) => a + b, 0);
    return { markMs, perRunMs: (total - sum) / (RUNS + policy.warmup), sampleMs: median(r.samplesMs) };
  } finally {
    await session.close();
  }
}

export async function runState(): Promise<void> {
  const docker = new Docker();
  const executor = new DockerExecutor(docker);
  await ensureBusyboxImage(executor, DEMO_IMAGE);
  ensureBigImage();
  const rounds = Number(process.env.STATE_ROUNDS ?? 4);
  const images = [['busybox', DEMO_IMAGE], ['busybox + /usr/share', BIG_IMAGE]] as const;
  console.log(`\nTiming integrity: cost of starting every run from the marked state (${rounds} rounds, ${RUNS} runs + 1 warm-up each)`);
  for (const [label, image] of images) for (const [work, cmd] of WORKLOADS) {
    const got: Record<'off' | 'on', Round[]> = { off: [], on: [] };
    for (let i = 0; i < rounds; i++) {
      got.off.push(await round(executor, image, false, cmd));
      got.on.push(await round(executor, image, true, cmd));
    }
    const m = (k: 'off' | 'on', f: keyof Round) => median(got[k].map((r) => r[f]));
    console.log(`  ${label}, ${work}: mark ${m('on', 'markMs').toFixed(0)} ms; host time per run beyond its sample ${m('off', 'perRunMs').toFixed(1)} ms unmarked, ${m('on', 'perRunMs').toFixed(1)} ms marked (+${(m('on', 'perRunMs') - m('off', 'perRunMs')).toFixed(1)} ms); median sample ${m('off', 'sampleMs').toFixed(3)} ms unmarked, ${m('on', 'sampleMs').toFixed(3)} ms marked (×${(m('on', 'sampleMs') / m('off', 'sampleMs')).toFixed(2)})`);
  }
}
