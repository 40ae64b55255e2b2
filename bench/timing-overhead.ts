/**
 * Per-iteration timing overhead: the agent's in-container samples of a no-op
 * against the same static no-op spawned by the same loop natively on the host,
 * interleaved in rounds so machine noise hits both alike. Goal: ratio ≤ 1.1.
 * Both sides exec the same file (the tools volume's busybox): two copies of
 * the same bytes can differ by several percent in exec time, depending on how
 * each sits in the page cache, which would be measured as agent overhead.
 */
import { spawnSync } from 'node:child_process';
import { toCommandSpec } from '../lib/command.ts';
import { median } from '../lib/stats.ts';
import { findBusybox } from '../runner/executor/agent-binary.ts';
import { nativeTime } from '../runner/host/native-time.ts';
import { BUSYBOX_PATH, DockerExecutor } from '../runner/executor/docker.ts';
import { ensureBusyboxImage } from '../runner/demo/busybox-image.ts';
import { DEMO_IMAGE } from '../runner/demo/season.ts';
import Docker from 'dockerode';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureToolsVolume } from '../runner/executor/docker-tools.ts';

const ROUNDS = 8;
const RUNS = 200;
const policy = { timeoutMs: 10_000, warmup: 5, runs: RUNS, longAfterMs: 1e9, longRuns: RUNS, veryLongAfterMs: 1e9, veryLongRuns: RUNS };

/** The agent run natively: same loop, same binary, no container. */
const nativeSamples = async (busybox: string) => (await nativeTime(toCommandSpec(`${busybox} true`), policy)).samplesMs;

function nodeSpawnSyncSamples(busybox: string, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    spawnSync(busybox, ['true']);
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

export async function timingOverhead(): Promise<void> {
  const busybox = findBusybox();
  if (!busybox) throw new Error('needs a static busybox (apt-get install busybox-static)');
  const docker = new Docker();
  await ensureBusyboxImage(new DockerExecutor(docker), DEMO_IMAGE);
  const tools = await ensureToolsVolume(docker, DEMO_IMAGE);
  const hostCopy = join((await docker.getVolume(tools.volume).inspect()).Mountpoint, 'busybox');
  const same = existsSync(hostCopy);
  const session = await new DockerExecutor(docker).start({
    name: 'aocbench-bench-overhead', image: DEMO_IMAGE, workdir: '/', env: [], code: '/code', tree: [], persistence: [],
    limits: { memoryMb: 256, pids: 64, outputBytes: 65536, diskBytes: 1 << 30 },
  });
  const inContainer: number[] = [];
  const native: number[] = [];
  const ratios: number[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const a = (await session.time(toCommandSpec(`${BUSYBOX_PATH} true`), policy)).samplesMs;
      const b = await nativeSamples(same ? hostCopy : busybox);
      inContainer.push(...a);
      native.push(...b);
      ratios.push(median([...a].sort((x, y) => x - y)) / median([...b].sort((x, y) => x - y)));
    }
  } finally {
    await session.close();
  }
  const med = (xs: number[]) => median([...xs].sort((x, y) => x - y));
  const nodeSync = nodeSpawnSyncSamples(busybox, 200);
  console.log('## Per-iteration timing overhead (no-op: static busybox `true`)');
  console.log(`rounds ${ROUNDS} × ${RUNS} samples each side, interleaved; ${same ? 'both sides exec the same file' : 'the tools volume is not reachable from here: the host side execs the host busybox'}`);
  console.log(`native spawn+wait loop on the host : median ${med(native).toFixed(3)} ms`);
  console.log(`agent loop inside the container    : median ${med(inContainer).toFixed(3)} ms`);
  console.log(`ratio container/native (per round) : median ${med(ratios).toFixed(3)}×  (min ${Math.min(...ratios).toFixed(3)}, max ${Math.max(...ratios).toFixed(3)})  goal ≤ 1.1×`);
  console.log(`for scale, Node spawnSync per run  : median ${med(nodeSync).toFixed(3)} ms (${(med(nodeSync) / med(native)).toFixed(1)}× native)`);
}
