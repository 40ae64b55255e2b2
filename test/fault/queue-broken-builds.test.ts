/**
 * Issue 19's season of broken repositories, in queue mode: a coordinator
 * (`aocbench bench` with `queue:`) and an `aocbench worker` through a Redis of
 * the test's own. A failing build and a missing image are built or pulled on
 * the worker and come back as that participant's `error`, with the reason on
 * its health rows, run once, never retried; the honest participant and the
 * `USER nobody` + `VOLUME /code` one are `correct`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listHealth } from '../../db/queries/health.ts';
import { listParticipants } from '../../db/queries/participants.ts';
import { resultsJson } from '../../runner/results-json.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE, NONROOT, buildNonrootImages } from '../helpers/images.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const SUM_AWK = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';
const DAY = { '1/sol.awk': SUM_AWK, '1/input.txt': '1\n2\n3\n', '1/answers.txt': '6\n3\n' };

let base: string;
let redis: TestRedis;
let config: string;
let worker: ChildProcess;
let workerLog = '';

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
  const honest = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`, ...DAY }, base);
  const failing = makeRepo({
    '.aocbench.yaml': 'version: 1\ndockerfile: Dockerfile\ncmd: awk -f %day%/sol.awk %input%\n',
    Dockerfile: `FROM ${BUSYBOX_IMAGE}\nRUN echo building the broken image && false\n`,
    ...DAY,
  }, base);
  const missing = makeRepo({ '.aocbench.yaml': 'version: 1\nimage: nosuch:1\ncmd: awk -f %day%/sol.awk %input%\n', ...DAY }, base);
  // Like ShaneMcC/aoc-2023: USER nobody and VOLUME /code, built on the worker from the repository's Dockerfile.
  const nonroot = makeRepo({
    '.aocbench.yaml': 'version: 1\ndockerfile: Dockerfile\ncode: /code\nworkdir: /code\ncmd: awk -f %day%/sol.awk %input%\n',
    Dockerfile: `${NONROOT.nobody.dockerfile.join('\n')}\n`,
    ...DAY,
  }, base);
  const settings = {
    year: 2024, days: 1, repeat: { runs: 2, warmup: 0 },
    queue: { url: redis.url, hardwareClass: 'broken', prefix: `b${redis.port}`, stallSeconds: 2 },
    participants: [
      { name: 'Honest', repo: honest.url },
      { name: 'Failing', repo: failing.url },
      { name: 'Missing', repo: missing.url },
      { name: 'Nonroot', repo: nonroot.url },
    ],
  };
  config = writeInstance(base, settings);
  mkdirSync(join(base, 'worker'), { recursive: true });
  worker = spawn(process.execPath, [BIN, 'worker', '--config', writeInstance(join(base, 'worker'), settings)], { stdio: ['ignore', 'pipe', 'pipe'] });
  worker.stdout!.on('data', (d) => (workerLog += String(d)));
  worker.stderr!.on('data', (d) => (workerLog += String(d)));
});

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker.once('exit', r));
    worker.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (worker.exitCode === null) worker.kill('SIGKILL');
  }
  await redis?.kill();
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
