/**
 * The full matrix of the 7 × 11 season through a queue: a Redis from Debian,
 * the coordinator (`aocbench matrix --force` with `queue:`) and one, then two
 * `aocbench worker`s with their own data dirs, as benchmark hosts would run
 * them, interleaved in one run. On this 2-core machine the two workers share
 * the cores; on two hosts each would have its own.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ensureBusyboxImage } from '../runner/demo/busybox-image.ts';
import { DEMO_IMAGE } from '../runner/demo/season.ts';
import { DockerExecutor } from '../runner/executor/docker.ts';
import { createSeason, writeAocbenchConfig } from './season/fixture.ts';
import { freePort, waitFor } from './support.ts';

const ROUNDS = 2;
const BIN = 'bin/aocbench.js';

function config(file: string, dataDir: string, base: Record<string, unknown>, queue: Record<string, unknown>): string {
  writeFileSync(file, stringify({ ...base, dataDir, queue }));
  return file;
}

export async function queueWorkers(): Promise<void> {
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    console.log('## Matrix with one and two workers: skipped (no redis-server; `apt-get install redis-server`)');
    return;
  }
  await ensureBusyboxImage(new DockerExecutor(), DEMO_IMAGE);
  const root = mkdtempSync(join(tmpdir(), 'aocbench-workersbench-'));
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const workers: ChildProcess[] = [];
  try {
    await waitFor(async () => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG', 10_000, 100);
    // Coordinator and workers share the key results are signed with, as hosts would.
    writeFileSync(join(root, 'result.key'), `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    const queue = { url: `redis://127.0.0.1:${port}`, hardwareClass: 'bench', prefix: `wb${port}`, resultKeyFile: join(root, 'result.key') };
    const season = createSeason(join(root, 'upstream'));
    writeAocbenchConfig(join(root, 'base.yaml'), join(root, 'coordinator'), season, 10);
    const base = parse(readFileSync(join(root, 'base.yaml'), 'utf8')) as Record<string, unknown>;
    const coordinator = config(join(root, 'coordinator.yaml'), join(root, 'coordinator'), base, queue);
    const workerConfigs = [1, 2].map((n) => config(join(root, `worker${n}.yaml`), join(root, `worker${n}`), base, queue));
    // The same matrix without a queue, in one process: what a worker's per-job overhead is measured against.
    const local = join(root, 'local.yaml');
    writeFileSync(local, stringify({ ...base, dataDir: join(root, 'local') }));
    // Each worker logs every job's phases: summed over the one-worker rounds below, they say where its time goes.
    const logs: string[] = [];
    const start = (n: number) => {
      const w = spawn(process.execPath, [BIN, 'worker', '--config', workerConfigs[n]], { stdio: ['ignore', 'ignore', 'pipe'] });
      const log: string[] = [];
      w.stderr!.on('data', (d) => log.push(String(d)));
      w.once('exit', () => logs.push(log.join('')));
      workers.push(w);
    };
    const stopAll = async () => {
      for (const w of workers.splice(0)) {
        w.kill('SIGTERM');
        await new Promise((r) => w.once('exit', r));
      }
    };
    const matrix = (cfg = coordinator) => {
      const t = performance.now();
      const r = spawnSync(process.execPath, [BIN, 'matrix', '--force', '--config', cfg], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`matrix failed: ${r.stderr.slice(-2000)}`);
      return { s: (performance.now() - t) / 1000, line: r.stdout.trim().split('\n').pop() };
    };
    // Clones, images and the coordinator's first sync once, with both workers: the rounds compare the matrix alone.
    start(0);
    start(1);
    const first = spawnSync(process.execPath, [BIN, 'bench', '--config', coordinator], { encoding: 'utf8' });
    if (first.status !== 0) throw new Error(`bench failed: ${first.stderr.slice(-2000)}`);
    matrix();
    await stopAll();
    if (spawnSync(process.execPath, [BIN, 'bench', '--config', local], { encoding: 'utf8' }).status !== 0) throw new Error('local bench failed');
    const times: Record<'one' | 'two' | 'local', number[]> = { one: [], two: [], local: [] };
    let last = '';
    const oneWorkerLogs: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      times.local.push(matrix(local).s);
      for (const n of [1, 2] as const) {
        for (let i = 0; i < n; i++) start(i);
        const m = matrix();
        times[n === 1 ? 'one' : 'two'].push(m.s);
        last = m.line ?? '';
        logs.length = 0;
        await stopAll();
        if (n === 1) oneWorkerLogs.push(...logs);
      }
    }
    const range = (xs: number[]) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)} s`;
    console.log(`## Full matrix of the 7 × 11 season through the queue, one worker against two (${ROUNDS} interleaved rounds; both on this machine's 2 cores)`);
    console.log(`no queue   : ${range(times.local)}   (one process, sandboxes started ahead)`);
    console.log(`one worker : ${range(times.one)}   ratio one worker/no queue ${(Math.min(...times.one) / Math.min(...times.local)).toFixed(2)}×`);
    console.log(`two workers: ${range(times.two)}   ratio two/one ${(Math.min(...times.two) / Math.min(...times.one)).toFixed(2)}×`);
    console.log(`(${last})`);
    console.log(`one worker, per matrix job (${ROUNDS} rounds): ${jobPhases(oneWorkerLogs.join(''))}`);
  } finally {
    for (const w of workers) w.kill('SIGKILL');
    redis.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  }
}

/** The mean seconds per job of each phase, from the workers' `done matrix: … (sync 0.002, image 0.010, …)` lines. */
function jobPhases(log: string): string {
  const sums = new Map<string, number>();
  let jobs = 0;
  for (const m of log.matchAll(/done matrix: .*\((.*)\)$/gm)) {
    jobs++;
    for (const part of m[1].split(', ')) {
      const [, phase, s] = /^(.*) ([\d.]+)$/.exec(part) ?? [];
      if (phase) sums.set(phase, (sums.get(phase) ?? 0) + Number(s));
    }
  }
  return jobs ? [...sums].map(([p, s]) => `${p} ${((s / jobs) * 1000).toFixed(0)} ms`).join(', ') + ` (${jobs} jobs)` : 'no job lines';
}
