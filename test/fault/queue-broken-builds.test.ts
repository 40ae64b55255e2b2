/**
 * Issue 19's season of broken repositories, in queue mode: a coordinator
 * (`aocbench bench` with `queue:`) and an `aocbench worker` through a Redis of
 * the test's own. A failing build and a missing image are built or pulled on
 * the worker and come back as that participant's `error`, with the reason on
 * its health rows, run once, never retried; the honest participant and the
 * `USER nobody` + `VOLUME /code` one are `correct`.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listHealth } from '../../db/queries/health.ts';
import { listParticipants } from '../../db/queries/participants.ts';
import { resultsJson } from '../../runner/report/results-json.ts';
import { instanceLabel } from '../../runner/host/instance-id.ts';
import { commit, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE, buildNonrootImages } from '../helpers/images.ts';
import { DockerProxy } from '../helpers/docker-proxy.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';
import { brokenSeason } from '../helpers/broken-season.ts';
import { resultKeyFile } from '../helpers/queue-key.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');

let base: string;
let redis: TestRedis;
let config: string;
let settings: Record<string, unknown> & { queue: Record<string, unknown> };
let honestDir: string;
let worker: ChildProcess;
let workerLog = '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The CLI as a child process this one keeps answering beside (a deadline of 90 s); its exit status and output. */
function run(config: string, ...args: string[]): Promise<{ status: number | null; out: string }> {
  const p = spawn(process.execPath, [BIN, ...args, '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout!.on('data', (d) => (out += String(d)));
  p.stderr!.on('data', (d) => (out += String(d)));
  const timer = setTimeout(() => p.kill('SIGKILL'), 90_000);
  return new Promise((resolve) => p.once('exit', (status) => (clearTimeout(timer), resolve({ status, out }))));
}

const statuses = () => withDb(base, (db) => Object.fromEntries(resultsJson(db).participants.map((p) => [p.name, p.days['1']?.status ?? null])));
const healthOf = (name: string) =>
  withDb(base, (db) => {
    const p = listParticipants(db).find((x) => x.name === name)!;
    return listHealth(db).filter((h) => h.participantId === p.id);
  });

beforeAll(async () => {
  base = tempDir('aocbench-fault-');
  buildNonrootImages();
  redis = await startRedis();
  const season = brokenSeason(base);
  honestDir = season.honestDir;
  settings = {
    year: 2024, days: 1, repeat: { runs: 2, warmup: 0 },
    queue: { url: redis.url, hardwareClass: 'broken', prefix: `b${redis.port}`, stallSeconds: 2, resultKeyFile: resultKeyFile() },
    participants: season.participants,
  };
  config = writeInstance(base, settings);
  mkdirSync(join(base, 'worker'), { recursive: true });
  worker = spawn(process.execPath, [BIN, 'worker', '--config', writeInstance(join(base, 'worker'), settings)], { stdio: ['ignore', 'pipe', 'pipe'] });
  worker.stdout!.on('data', (d) => (workerLog += String(d)));
  worker.stderr!.on('data', (d) => (workerLog += String(d)));
});

const others: ChildProcess[] = [];

afterAll(async () => {
  for (const w of [worker, ...others]) {
    if (!w || w.exitCode !== null) continue;
    const exited = new Promise((r) => w.once('exit', r));
    w.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
    if (w.exitCode === null) w.kill('SIGKILL');
  }
  await redis?.kill();
  // The sandbox whose Docker connection was cut ends by itself; one still there is removed.
  const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=aocbench.instance=${instanceLabel(join(base, 'docker-lost', 'data'))}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  if (ids.length) spawnSync('docker', ['rm', '-f', ...ids]);
});

describe('broken repositories beside honest ones, on a worker through the queue', () => {
  it('aocbench bench: honest and non-root correct, the failing build and the missing image their own error with the reason', async () => {
    const r = spawnSync(process.execPath, [BIN, 'bench', '--config', config], { encoding: 'utf8', timeout: 120_000 });
    const said = `${r.stdout}\n${r.stderr}\nworker:\n${workerLog}`;
    expect(r.stderr, said).not.toMatch(/database is locked/);
    expect([0, 1], said).toContain(r.status);
    expect(statuses(), said).toEqual({ Honest: 'correct', Nonroot: 'correct', Failing: 'error', Missing: 'error' });
    // The reason where people look: the day's health row (the /health/<name> page), the build log's end as its detail.
    const failing = healthOf('Failing').find((h) => h.day === 1 && h.level === 'error');
    expect(failing, said).toBeDefined();
    expect(`${failing!.message}\n${failing!.detail}`).toMatch(/building the broken image/);
    const missing = healthOf('Missing').find((h) => h.day === 1 && h.level === 'error');
    expect(missing, said).toBeDefined();
    expect(`${missing!.message}\n${missing!.detail}`).toMatch(/nosuch:1/);
    // And on the participant, as a local build failure is: the image row (the leaderboard's "build failed" / "image missing" mark) with the log's end.
    const failingImage = healthOf('Failing').find((h) => h.topic === 'image');
    expect(failingImage?.level, said).toBe('error');
    expect(failingImage!.detail).toMatch(/building the broken image/);
    const missingImage = healthOf('Missing').find((h) => h.topic === 'image');
    expect(missingImage?.level, said).toBe('error');
    expect(`${missingImage!.message}\n${missingImage!.detail}`).toMatch(/nosuch:1/);
    expect(healthOf('Honest').find((h) => h.topic === 'image')?.level).toBe('ok');
    // Nothing is blamed on the host: no "not run" for anyone, and the summary names both broken ones.
    expect(r.stderr).not.toMatch(/not run/);
    expect(r.stdout + r.stderr).toMatch(/Failing/);
    expect(r.stdout + r.stderr).toMatch(/Missing/);
    // A participant's failure is a verdict: run once on the worker, never retried.
    await new Promise((res) => setTimeout(res, 300));
    for (const name of ['Failing', 'Missing']) expect(workerLog.split(`time: ${name} day 1 (`).length - 1, workerLog).toBe(1);
  });
});

describe("a worker's Docker going away in the middle of a job", () => {
  it('is the host\'s problem: nothing stored, the stored result kept, health says why; the next run measures it', async () => {
    const dir = join(base, 'docker-lost');
    mkdirSync(dir, { recursive: true });
    const proxy = new DockerProxy();
    await proxy.start();
    // A worker of its own class whose Docker is reached through the proxy.
    const queue = { ...settings.queue, hardwareClass: 'proxied' };
    let log = '';
    const w = spawn(process.execPath, [BIN, 'worker', '--config', writeInstance(dir, { ...settings, queue })], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...proxy.env } });
    others.push(w);
    w.stdout!.on('data', (d) => (log += String(d)));
    w.stderr!.on('data', (d) => (log += String(d)));
    // The coordinator's own data, its jobs for that class.
    mkdirSync(join(dir, 'coordinator'), { recursive: true });
    const coordinator = writeInstance(join(dir, 'coordinator'), { ...settings, queue, dataDir: join(base, 'data'), inputsDir: join(base, 'inputs') });
    const stored = () =>
      withDb(base, (db) => db.$client.prepare("select r.status, r.run_at as at, r.version from day_results r join participants p on p.id = r.participant_id where p.name = 'Honest' and r.day = 1").get() as { status: string; at: number; version: string });
    const workerHealth = () =>
      withDb(base, (db) => db.$client.prepare("select h.level, h.message from health h join participants p on p.id = h.participant_id where p.name = 'Honest' and h.day = 1 and h.topic = 'worker'").get() as { level: string; message: string } | undefined);
    const before = stored();
    expect(before.status).toBe('correct');
    // A new version that runs long enough to lose Docker in the middle of its runs.
    commit(honestDir, { '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: sh -c 'sleep 1; awk -f %day%/sol.awk %input%'\n` });
    const bench = run(coordinator, 'bench', '-p', 'Honest');
    for (let i = 0; i < 400 && !log.includes('time: Honest day 1 ('); i++) await sleep(50);
    expect(log).toContain('time: Honest day 1 (');
    await sleep(1800); // in its runs
    await proxy.cut();
    const { status: code, out } = await bench;
    const said = `${out}\nworker:\n${log}`;
    expect([0, 1], said).toContain(code);
    // Nothing charged to Honest: the stored correct result is the one from before, and the reason is the host's.
    expect(stored(), said).toEqual(before);
    expect(workerHealth()?.level, said).toBe('warning');
    expect(workerHealth()!.message).toMatch(/docker on .*(Docker daemon|docker\.sock).*last stored result is kept/is);
    expect(log).not.toMatch(/done time: Honest day 1 in [\d.]+ s: error/);
    // Without Docker the worker takes no more jobs (another worker of the class would), and says so.
    expect(log).toMatch(/docker on .*; taking no jobs until it is back/);
    // Docker is back: the next run measures the new version, and the host's warning goes.
    await proxy.start();
    // Not spawnSync: the proxy lives in this process, and must answer while the bench runs.
    const again = await run(coordinator, 'bench', '-p', 'Honest');
    expect([0, 1], `${again.out}\nworker:\n${log}`).toContain(again.status);
    const after = stored();
    expect(after.status, `${again.out}\nworker:\n${log}`).toBe('correct');
    expect(after.at).toBeGreaterThan(before.at);
    expect(log).toContain('docker is back; taking jobs again');
    expect(workerHealth()).toBeUndefined();
    await proxy.cut();
  });
});
