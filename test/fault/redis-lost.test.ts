/**
 * Issue 19, "Redis loses its data mid-matrix": a coordinator (`aocbench
 * bench` with `queue:`) and an `aocbench worker`, each its own process, on a
 * redis-server of the test's own, which is flushed, restarted empty, and
 * restarted from its append-only file while a job finishes during the outage.
 * Each time: the bench ends soon after the work, every job ends, every day is
 * timed once and stored once, nothing stored before is lost or rewritten, the
 * database is intact, and the outage is one line, not ioredis's stack dumps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../runner/queue/coordinator/dispatch.ts';
import { QueueProblem } from '../../runner/queue/outage.ts';
import { commit, makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';
import { resultKeyFile } from '../helpers/queue-key.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { freePort } from '../helpers/web-server.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const SUM_AWK = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';
/** Eleven days of ada and slow's one: more than ten jobs awaited at once (Node's listener limit). */
const ADA_DAYS = 11;
const days = (f: (d: number) => Record<string, string>) => Object.assign({}, ...Array.from({ length: ADA_DAYS }, (_, i) => f(i + 1)));

let base: string;
let redis: TestRedis;
let queue: { url: string; hardwareClass: string; prefix: string; stallSeconds: number; resultKeyFile: string };
let config: string;
let adaDir: string;
let slowDir: string;
let worker: ChildProcess;
const workerLog: string[] = [];
let round = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const workerSaid = () => workerLog.join('');

interface Row {
  name: string;
  day: number;
  status: string;
  runAt: number;
  history: number;
}

const rows = (): Row[] =>
  withDb(base, (db) =>
    db.$client
      .prepare(
        `select p.name, r.day, r.status, r.run_at as runAt,
           (select count(*) from day_history h where h.participant_id = r.participant_id and h.day = r.day) as history
         from day_results r join participants p on p.id = r.participant_id order by p.name, r.day`,
      )
      .all() as Row[],
  );

/** A new version of every day of ada and slow (keep stays as it is), then a bench with `fault` injected while it runs. */
async function benchWith(fault: (since: number) => Promise<void>, command = ['bench'], opts: { slow?: boolean } = {}) {
  if (command[0] === 'bench') {
    round++;
    commit(adaDir, days((d) => ({ [`${d}/sol.awk`]: `# round ${round}\n${SUM_AWK}` })));
    commit(slowDir, { '1/sol.awk': `# round ${round}\n${SUM_AWK}`, '1/slow': opts.slow ? 'yes' : null });
  }
  const since = workerSaid().length;
  const started = Date.now();
  const bench = spawn(process.execPath, [BIN, ...command, '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  bench.stdout!.on('data', (d) => (out += String(d)));
  bench.stderr!.on('data', (d) => (out += String(d)));
  const exit = new Promise<number | null>((resolve) => bench.once('exit', resolve));
  await fault(since);
  const code = await Promise.race([exit, sleep(120_000).then(() => 'still running after 120 s')]);
  if (code !== null && typeof code === 'string') bench.kill('SIGKILL');
  await sleep(300); // the worker's last lines
  return { code, out, took: Date.now() - started, worker: workerSaid().slice(since) };
}

/** Until the worker has finished `n` jobs of this round (or started the one matching `pattern`). */
async function workerReached(since: number, pattern: RegExp, n = 1): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((workerSaid().slice(since).match(new RegExp(pattern, 'g')) ?? []).length >= n) return;
    await sleep(50);
  }
  throw new Error(`the worker never said ${pattern}:\n${workerSaid().slice(since)}`);
}

/** What every run must leave, fault or not. */
async function expectSettled(r: Awaited<ReturnType<typeof benchWith>>, before: Row[]) {
  expect(r.code, r.out).toBe(0);
  // Nothing given up as the host's: every day ran (said with both sides' output, should it ever fail).
  expect(r.out, `coordinator:\n${r.out}\nworker:\n${r.worker}`).not.toMatch(/not run/);
  // Bounded: the work itself is some fifteen seconds; a wait on a lost job was 49 minutes.
  expect(r.took, r.out).toBeLessThan(60_000);
  const after = rows();
  const key = (x: Row) => `${x.name}/${x.day}`;
  const old = new Map(before.map((x) => [key(x), x]));
  expect(after.map(key)).toEqual(before.map(key));
  for (const x of after) {
    if (x.name === 'keep') {
      // Not in this run: its correct result is neither lost nor rewritten.
      expect(x).toEqual(old.get(key(x)));
      continue;
    }
    const why = `${key(x)}\ncoordinator:\n${r.out}\nworker:\n${r.worker}`;
    expect(x.status, why).toBe('correct');
    expect(x.runAt, why).toBeGreaterThan(old.get(key(x))!.runAt);
    // Stored once: the one result it replaced went to the history, no more.
    expect(x.history, why).toBe(old.get(key(x))!.history + 1);
  }
  // Timed once each: a job that finished before or during the outage is not measured again.
  for (let d = 1; d <= ADA_DAYS; d++) expect(r.worker.split(new RegExp(`done time: ada day ${d} in `)).length - 1, `ada day ${d}\n${r.worker}`).toBe(1);
  expect(r.worker.split(/done time: slow day 1 in /).length - 1, r.worker).toBe(1);
  expect(withDb(base, (db) => db.$client.pragma('integrity_check', { simple: true }))).toBe('ok');
  // Every job ended: nothing waits, runs or is left over in the queue.
  const d = new Dispatcher(queue, () => {});
  try {
    expect(await d.counts(), `coordinator:\n${r.out}\nworker:\n${r.worker}`).toEqual({ waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 });
  } finally {
    await d.close();
  }
  // One clear line per outage, not ioredis's dumps or Node's listener warning.
  expect(r.out).not.toMatch(/Unhandled error event|\n\s+at |MaxListenersExceeded|ECONNREFUSED.*\n.*ECONNREFUSED/);
  return after;
}

beforeAll(async () => {
  base = tempDir('aocbench-fault-');
  redis = await startRedis({ persist: true });
  queue = { url: redis.url, hardwareClass: 'fault', prefix: `f${redis.port}`, stallSeconds: 2, resultKeyFile: resultKeyFile() };
  const sh = (cmd: string) => `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: sh -c '${cmd}'\n`;
  const ada = makeRepo({ '.aocbench.yaml': sh('awk -f %day%/sol.awk %input%'), ...days((d) => ({ [`${d}/sol.awk`]: SUM_AWK, [`${d}/input.txt`]: `${d}\n2\n`, [`${d}/answers.txt`]: `${d + 2}\n2\n` })) }, base);
  // Slow's day takes a few seconds when it has a file named slow: long enough to finish while Redis is away.
  const slow = makeRepo({ '.aocbench.yaml': sh('if [ -f %day%/slow ]; then sleep 2; fi; awk -f %day%/sol.awk %input%'), '1/sol.awk': SUM_AWK, '1/input.txt': '1\n2\n', '1/answers.txt': '3\n2\n' }, base);
  const keep = makeRepo({ '.aocbench.yaml': sh('awk -f %day%/sol.awk %input%'), '1/sol.awk': SUM_AWK, '1/input.txt': '4\n', '1/answers.txt': '4\n1\n' }, base);
  adaDir = ada.dir;
  slowDir = slow.dir;
  const participants = [{ name: 'slow', repo: slow.url }, { name: 'ada', repo: ada.url }, { name: 'keep', repo: keep.url }];
  const settings = { year: 2024, days: ADA_DAYS, repeat: { runs: 1, warmup: 0 }, queue, participants };
  config = writeInstance(base, settings);
  mkdirSync(join(base, 'worker'), { recursive: true });
  const workerConfig = writeInstance(join(base, 'worker'), settings);
  worker = spawn(process.execPath, [BIN, 'worker', '--config', workerConfig], { stdio: ['ignore', 'pipe', 'pipe'] });
  worker.stdout!.on('data', (d) => workerLog.push(String(d)));
  worker.stderr!.on('data', (d) => workerLog.push(String(d)));
  // Every participant's first results, keep's included, before any fault.
  const first = await benchWith(async () => {});
  expect(first.code, first.out).toBe(0);
  expect(rows().filter((x) => x.status === 'correct')).toHaveLength(ADA_DAYS + 2);
});

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker.once('exit', r));
    worker.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
    if (worker.exitCode === null) worker.kill('SIGKILL');
  }
  await redis?.kill();
});

describe('Redis loses its data while a bench waits on its workers', () => {
  it('FLUSHALL mid-run: the lost jobs are queued again; those done before are stored once, none timed twice', async () => {
    const before = rows();
    const r = await benchWith(async (since) => {
      await workerReached(since, /done time: /, 3);
      redis.cli('flushall');
    });
    await expectSettled(r, before);
    expect(r.out).toMatch(/\d+ job\(s\) were no longer in the queue \(Redis lost its data\?\): queued again/);
  });

  it('Redis restarted without persistence: one line when it goes, one when it is back, and the run completes', async () => {
    const before = rows();
    const r = await benchWith(async (since) => {
      await workerReached(since, /done time: /, 3);
      await redis.kill();
      await sleep(1500);
      await redis.start({ fresh: true });
    });
    await expectSettled(r, before);
    for (const [who, said] of [['coordinator', r.out], ['worker', r.worker]]) {
      expect(said.match(/Redis at 127\.0\.0\.1:\d+ unreachable since \d\d:\d\d:\d\d UTC: .+; retrying/g), `${who}:\n${said}`).toHaveLength(1);
      expect(said.match(/Redis is back after \d+ s/g), `${who}:\n${said}`).toHaveLength(1);
    }
    expect(r.out).toMatch(/no longer in the queue .*queued again/);
  });

  it('Redis restarted with its data after a job finished during the outage: that result is kept, not timed again', async () => {
    const before = rows();
    const r = await benchWith(async (since) => {
      await workerReached(since, /time: slow day 1 \(job/);
      // Once it runs its solution (its input is read from Redis before that).
      await sleep(1500);
      await redis.kill();
      // Longer than the job, and than the stall interval: the job's lock is gone when Redis returns.
      await workerReached(since, /done time: slow day 1 in /).catch(() => {});
      await sleep(2500);
      await redis.start();
    }, ['bench'], { slow: true });
    await expectSettled(r, before);
    // The job went back to the queue as stalled; the worker handed back what it had measured.
    expect(r.worker).toMatch(/time: slow day 1 \(job [^)]+\) ran here before Redis lost it/);
  });
});

describe('Redis loses its data mid-matrix', () => {
  it('FLUSHALL while matrix jobs run: every cell is stored once, none run twice, the matrix ends', async () => {
    const cells = () => withDb(base, (db) => db.$client.prepare("select s.name || '/' || c.day || '/' || c.input as k, c.status from matrix_cells c join participants s on s.id = c.solver_id order by k").all() as Array<{ k: string; status: string }>);
    expect(cells()).toEqual([]);
    const r = await benchWith(async (since) => {
      await workerReached(since, /done matrix: /, 3);
      redis.cli('flushall');
    }, ['matrix', '--no-update']);
    expect(r.code, r.out).toBe(0);
    expect(r.took, r.out).toBeLessThan(60_000);
    expect(r.out).toMatch(/no longer in the queue .*queued again/);
    // Day 1: three solvers on three inputs; days 2 to 11: ada on its own.
    const all = cells();
    expect(all, r.out).toHaveLength(9 + ADA_DAYS - 1);
    expect(all.every((c) => c.status === 'correct' || c.status === 'wrong'), JSON.stringify(all)).toBe(true);
    for (let d = 1; d <= ADA_DAYS; d++) expect(r.worker.split(new RegExp(`done matrix: ada day ${d} in `)).length - 1, `ada day ${d}\n${r.worker}`).toBe(1);
    expect(withDb(base, (db) => db.$client.pragma('integrity_check', { simple: true }))).toBe('ok');
    const d = new Dispatcher(queue, () => {});
    try {
      expect(await d.counts(), r.out).toEqual({ waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 });
    } finally {
      await d.close();
    }
    expect(r.out).not.toMatch(/Unhandled error event|\n\s+at |MaxListenersExceeded/);
  });
});

describe('no wait without an end', () => {
  const settings = { repeat: { runs: 1, targetCi: 0.03, minRuns: 10, maxRuns: 200, budgetSec: 30, warmup: 0, longAfterSec: 1, longRuns: 1, veryLongAfterSec: 1, veryLongRuns: 1, timeoutSec: 1 }, limits: { memoryMb: 64, pids: 8, outputKb: 1, diskMb: 1 } };
  const data = { participant: 'ada', commit: 'x', day: 1, version: 'v', inputVersion: 'i', imageKey: 'k', inputHash: 'h', inputSource: 'ada', answers: { part1: '1', part2: null }, reason: 'test', settings, queuedAt: 1 };

  it('a class with no live worker: the wait ends at its deadline as not run, and the job stays queued', async () => {
    const d = new Dispatcher({ ...queue, hardwareClass: 'nobody' }, () => {}, settings, { giveUpMs: 1500 });
    try {
      const { job } = await d.submit('time', 'time-lonely', data);
      const started = Date.now();
      const e = await d.result(job).then(() => null, (x: Error) => x);
      expect(e).toBeInstanceOf(QueueProblem);
      expect(e!.message).toMatch(/No worker of hardware class "nobody" .*stops waiting after 2 s; the jobs stay queued/);
      expect(Date.now() - started).toBeLessThan(6_000);
      expect((await d.counts()).waiting).toBe(1);
    } finally {
      await d.queue.obliterate({ force: true });
      await d.close();
    }
  });

  it('a Redis that never answers: one line, and the run ends at its deadline instead of waiting', async () => {
    const lines: string[] = [];
    const d = new Dispatcher({ ...queue, url: `redis://127.0.0.1:${await freePort()}` }, (l) => lines.push(l), settings, { giveUpMs: 1500 });
    try {
      const started = Date.now();
      const e = await d.submit('time', 'time-nowhere', data).then(() => null, (x: Error) => x);
      expect(e).toBeInstanceOf(QueueProblem);
      expect(e!.message).toMatch(/Redis at 127\.0\.0\.1:\d+ unreachable since .*the jobs stay queued/);
      expect(Date.now() - started).toBeLessThan(6_000);
      expect(lines.filter((l) => /unreachable since/.test(l))).toHaveLength(1);
    } finally {
      await d.close();
    }
  });
});
