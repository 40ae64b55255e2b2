/**
 * Issue 19, "a worker or daemon killed with kill -9": its sandboxes must not
 * run on until a later process of the same data dir sweeps them. A real
 * `aocbench bench`, `aocbench daemon` or `aocbench worker` is killed while solutions run; with nothing else of
 * aocbench started, every sandbox it had ends within seconds (the agent sees
 * its stdin hang up), in Docker and in a VM guest.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findKernel } from '../../runner/executor/vm/kernel.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { writeInstance } from '../helpers/instance.ts';
import { resultKeyFile } from '../helpers/queue-key.ts';
import { startRedis } from '../helpers/redis.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Three days whose solutions each take 60 s: a sandbox is busy whenever the bench is killed. */
function season(executor: 'docker' | 'vm', extra: Record<string, unknown> = {}) {
  const base = tempDir('aocbench-orphan-');
  const days = Object.fromEntries([1, 2, 3].flatMap((d) => [[`${d}/sol.sh`, 'sleep 60\n'], [`${d}/input.txt`, '1\n'], [`${d}/answers.txt`, '1\n1\n']]));
  const repo = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: sh %day%/sol.sh %input%\n`, ...days }, base);
  const config = writeInstance(base, {
    year: 2024, days: 3, executor, vm: { accel: 'tcg' },
    repeat: { runs: 1, warmup: 0, timeoutSec: 120 },
    limits: { memoryMb: 96, pids: 64, outputKb: 64, diskMb: 256 },
    participants: [{ name: 'sleeper', repo: repo.url }],
    ...extra,
  });
  dataDirs.push(join(base, 'data'));
  return { config, dataDir: join(base, 'data') };
}

async function until<T>(what: string, f: () => T | null | undefined | false, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

/** The data dir's running sandboxes, as `docker ps` lists them by the instance's label. */
function runningContainers(dataDir: string): string[] {
  const id = readFileSync(join(dataDir, 'instance-id'), 'utf8').trim();
  return execFileSync('docker', ['ps', '-q', '--filter', `label=aocbench.instance=${id}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** QEMU processes whose command line names this data dir (their session dirs are under it). */
function qemusOf(dataDir: string): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes('qemu-system') && l.includes(dataDir)).map((l) => Number(l.trim().split(/\s+/)[0]));
}

let bench: ChildProcess | null = null;
const dataDirs: string[] = [];
afterEach(() => {
  if (bench?.exitCode === null && bench.signalCode === null) bench.kill('SIGKILL');
  bench = null;
  // The stopped containers stay until a sweep of their data dir, which this test never starts.
  for (const dir of dataDirs.splice(0)) {
    const file = join(dir, 'instance-id');
    if (!existsSync(file)) continue;
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=aocbench.instance=${readFileSync(file, 'utf8').trim()}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
    if (ids.length) execFileSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore' });
  }
});

function start(command: 'bench' | 'daemon' | 'worker', config: string): ChildProcess {
  bench = spawn(process.execPath, [BIN, command, '--config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  return bench;
}

describe('a bench, daemon or worker killed with -9 leaves no sandbox running', () => {
  for (const command of ['bench', 'daemon'] as const) {
    it(`Docker, ${command}: every container it had ends within 10 s, with no aocbench process started after it`, async () => {
      const { config, dataDir } = season('docker');
      const p = start(command, config);
      const running = await until('a sandbox running', () => existsSync(join(dataDir, 'instance-id')) && runningContainers(dataDir).length > 0 && runningContainers(dataDir), 120_000);
      // Let the solution start (the check run), so the agent is inside a run, not waiting for a request.
      await sleep(2000);
      expect(running.length).toBeGreaterThan(0);
      p.kill('SIGKILL');
      const killedAt = Date.now();
      await until('every sandbox gone', () => runningContainers(dataDir).length === 0, 10_000);
      expect(Date.now() - killedAt).toBeLessThan(10_000);
      // Ended by the agent itself (exit 0), not killed by anyone.
      for (const id of running) {
        const state = JSON.parse(execFileSync('docker', ['inspect', '--format', '{{json .State}}', id], { encoding: 'utf8' })) as { ExitCode: number; OOMKilled: boolean };
        expect(state).toMatchObject({ ExitCode: 0, OOMKilled: false });
      }
    }, 180_000);
  }

  it('Docker, a queue worker: its container ends within 10 s', async () => {
    const redis = await startRedis();
    const queue = { url: redis.url, hardwareClass: 'orphan', prefix: `o${redis.port}`, stallSeconds: 2, resultKeyFile: resultKeyFile() };
    const coordinator = season('docker', { queue });
    const worker = season('docker', { queue });
    const coord = spawn(process.execPath, [BIN, 'bench', '--config', coordinator.config], { stdio: ['ignore', 'ignore', 'ignore'] });
    try {
      const w = start('worker', worker.config);
      const running = await until('a sandbox of the worker running', () => existsSync(join(worker.dataDir, 'instance-id')) && runningContainers(worker.dataDir).length > 0 && runningContainers(worker.dataDir), 120_000);
      await sleep(2000);
      expect(running.length).toBeGreaterThan(0);
      w.kill('SIGKILL');
      await until('every sandbox of the worker gone', () => runningContainers(worker.dataDir).length === 0, 10_000);
    } finally {
      coord.kill('SIGKILL');
      await redis.kill();
    }
  }, 180_000);

  it('VM: its QEMU ends within 10 s', async () => {
    if (!findKernel({}, '/nonexistent')) throw new Error('no guest kernel: .ci/run unpacks Debian\'s linux-image-cloud-amd64 into /usr/local/share/aocbench/kernel');
    const { config, dataDir } = season('vm');
    const p = start('bench', config);
    // A session's QEMU, once its guest is up: the build guests that make root file systems come and go before it.
    await until('a guest running a session', () => qemusOf(dataDir).length > 0 && existsSync(join(dataDir, 'vm', 'run')) && qemusOf(dataDir), 300_000);
    await sleep(8000);
    expect(qemusOf(dataDir).length).toBeGreaterThan(0);
    p.kill('SIGKILL');
    await until('every guest gone', () => qemusOf(dataDir).length === 0, 10_000);
  }, 360_000);
});
