/**
 * Several benchmark hosts: a Redis from Debian, a coordinator (`aocbench
 * bench` with `queue:`) and `aocbench worker`s as separate processes with
 * their own data dirs and checkouts, as hosts would have. Same verdicts as a
 * single host; a duplicate trigger adds no job; a worker of another class
 * never takes a job; a worker killed mid-job loses it to the other, and one
 * result is stored.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../runner/queue/coordinator/dispatch.ts';
import { resultsJson } from '../../runner/report/results-json.ts';
import { instanceLabel } from '../../runner/host/instance-id.ts';
import { commit, makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';
import { resultKeyFile } from '../helpers/queue-key.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const SUM_AWK = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';
const WRONG_AWK = '{ s += $1 } END { print "Part 1: " s + 1; print "Part 2: " NR }\n';

let base: string;
let redis: TestRedis;
let queue: { url: string; hardwareClass: string; prefix: string; stallSeconds: number; resultKeyFile: string };
const workers = new Map<string, { proc: ChildProcess; log: string[] }>();
let participants: Array<Record<string, unknown>>;
let slowDir: string;
let imageTag: string;

function startWorker(name: string, hardwareClass = 'test'): void {
  mkdirSync(join(base, name), { recursive: true });
  const config = writeInstance(join(base, name), { year: 2024, days: 3, repeat: { runs: 3 }, queue, participants });
  const log: string[] = [];
  const proc = spawn(process.execPath, [BIN, 'worker', '--config', config, '--class', hardwareClass], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.on('data', (d) => log.push(String(d)));
  proc.stderr!.on('data', (d) => log.push(String(d)));
  workers.set(name, { proc, log });
}

const coordinator = (cfg: Record<string, unknown> = {}) => {
  mkdirSync(join(base, 'coordinator'), { recursive: true });
  // Four runs where the workers' own configs say three: the coordinator's settings travel with the job.
  return writeInstance(join(base, 'coordinator'), { year: 2024, days: 3, repeat: { runs: 4 }, queue, participants, ...cfg });
};
const redisCli = (...args: string[]) => execFileSync('redis-cli', ['-u', queue.url, ...args], { encoding: 'utf8' }).trim();
const cli = (config: string, ...args: string[]) => spawnSync(process.execPath, [BIN, ...args, '--config', config], { encoding: 'utf8', timeout: 120_000 });
const verdicts = (dir: string) =>
  Object.fromEntries(
    withDb(dir, (db) => resultsJson(db)).participants.flatMap((p) => Object.entries(p.days).map(([d, r]) => [`${p.name}/${d}`, (r as { status: string }).status])),
  );

beforeAll(async () => {
  base = tempDir();
  redis = await startRedis();
  const port = redis.port;
  queue = { url: redis.url, hardwareClass: 'test', prefix: `t${port}`, stallSeconds: 2, resultKeyFile: resultKeyFile() };
  const days = (f: (d: number) => Record<string, string>) => Object.assign({}, ...[1, 2, 3].map(f));
  const ada = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`, ...days((d) => ({ [`${d}/sol.awk`]: SUM_AWK, [`${d}/input.txt`]: `${d}\n2\n3\n`, [`${d}/answers.txt`]: `${d + 5}\n3\n` })) }, base);
  const bob = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`, ...days((d) => ({ [`${d}/sol.awk`]: d === 2 ? WRONG_AWK : SUM_AWK })) }, base);
  // Slow takes about a second a run: long enough to be killed in the middle.
  const slow = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: sh -c 'sleep 1; awk -f %day%/sol.awk %input%'\n`, '1/sol.awk': SUM_AWK }, base);
  slowDir = slow.dir;
  // Broken's solution crashes; nobuild's image does not build. Each comes back as that day's `error`, run once, never retried.
  const broken = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: sh -c 'exit 3'\n`, '1/sol.awk': SUM_AWK }, base);
  const nobuild = makeRepo({ '.aocbench.yaml': 'version: 1\ndockerfile: Dockerfile\ncmd: awk -f %day%/sol.awk %input%\n', Dockerfile: 'FROM scratch\nRUN false\n', '1/sol.awk': SUM_AWK }, base);
  // A named image (`image:`) whose tag this test re-points, as a `docker pull` of a newer image would.
  imageTag = `aocbench-test/queue-image:${port}`;
  execFileSync('docker', ['tag', BUSYBOX_IMAGE, imageTag]);
  const imgp = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${imageTag}\ncmd: awk -f %day%/sol.awk %input%\n`, '1/sol.awk': SUM_AWK, '1/input.txt': '1\n2\n', '1/answers.txt': '3\n2\n' }, base);
  participants = [{ name: 'ada', repo: ada.url }, { name: 'bob', repo: bob.url }, { name: 'slow', repo: slow.url }, { name: 'broken', repo: broken.url }, { name: 'nobuild', repo: nobuild.url }, { name: 'imgp', repo: imgp.url }];
  startWorker('w1');
  startWorker('w2');
  startWorker('other', 'big');
});

afterAll(async () => {
  for (const { proc } of workers.values()) proc.kill('SIGKILL');
  if (imageTag) spawnSync('docker', ['rmi', imageTag]);
  await redis?.kill();
  // A worker killed with -9 leaves its sandbox to its next start; here there is none.
  for (const w of workers.keys()) {
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=aocbench.instance=${instanceLabel(join(base, w, 'data'))}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
    if (ids.length) spawnSync('docker', ['rm', '-f', ...ids]);
  }
});

describe('a coordinator with two workers', () => {
  it('gives the same verdicts as one host, measured by the workers of its class', async () => {
    mkdirSync(join(base, 'single'), { recursive: true });
    const single = writeInstance(join(base, 'single'), { year: 2024, days: 3, repeat: { runs: 3 }, participants: [...participants.slice(0, 2), participants[3]] });
    expect(cli(single, 'bench').status).toBe(0);
    const r = cli(coordinator({ participants: [...participants.slice(0, 2), participants[3]] }), 'bench');
    expect(r.status, r.stderr).toBe(0);
    expect(verdicts(join(base, 'coordinator'))).toEqual(verdicts(join(base, 'single')));
    expect(verdicts(join(base, 'coordinator'))['bob/2']).toBe('wrong');
    expect(verdicts(join(base, 'coordinator'))['broken/1']).toBe('error');
    const envs = withDb(join(base, 'coordinator'), (db) => db.$client.prepare('select env from day_results').all() as Array<{ env: string }>).map((e) => JSON.parse(e.env));
    expect(envs.every((e) => e.hardwareClass === 'test' && e.executor === 'docker')).toBe(true);
    const counts = withDb(join(base, 'coordinator'), (db) => db.$client.prepare("select samples from day_results where status = 'correct'").all() as Array<{ samples: string }>).map((x) => JSON.parse(x.samples).length);
    expect(new Set(counts)).toEqual(new Set([4]));
    // Inputs travel once, by content hash, and expire.
    const keys = redisCli('--scan', '--pattern', `${queue.prefix}:input:*`).split('\n').filter(Boolean);
    expect(keys.length).toBeGreaterThanOrEqual(3);
    expect(Number(redisCli('ttl', keys[0]))).toBeGreaterThan(6 * 24 * 3600);
    // The matrix too: every solver on every input, through the workers.
    expect(cli(single, 'matrix', '--no-update').status).toBe(0);
    const m = cli(coordinator({ participants: [...participants.slice(0, 2), participants[3]] }), 'matrix', '--no-update');
    expect(m.status, m.stderr).toBe(0);
    const matrixOf = (dir: string) => withDb(dir, (db) => resultsJson(db)).matrix;
    expect(matrixOf(join(base, 'coordinator'))).toEqual(matrixOf(join(base, 'single')));
    expect(JSON.stringify(matrixOf(join(base, 'coordinator')))).toContain('wrong');
    // Both workers took jobs; the worker of class "big" took none. (spawnSync held this process: let their output arrive.)
    await new Promise((r) => setTimeout(r, 300));
    const all = [...workers].map(([n, w]) => `${n}:\n${w.log.join('')}`).join('\n') + `\ncoordinator:\n${r.stderr}`;
    expect(workers.get('w1')!.log.join(''), all).toMatch(/time: (ada|bob) day/);
    expect(workers.get('w2')!.log.join(''), all).toMatch(/time: (ada|bob) day/);
    expect(workers.get('other')!.log.join('')).not.toMatch(/(time|matrix): /);
    // A crash is a verdict, run once, not retried.
    expect(all.split('time: broken day 1 (').length - 1).toBe(1);
    // So is an image that does not build on the worker: that day's error, with why.
    const nb = cli(coordinator({ participants: participants.filter((p) => p.name !== 'slow') }), 'bench', '-p', 'nobuild');
    expect(nb.status, nb.stderr).toBe(0);
    const row = withDb(join(base, 'coordinator'), (db) => db.$client.prepare("select r.status, r.message from day_results r join participants p on p.id = r.participant_id where p.name = 'nobuild'").get() as { status: string; message: string });
    expect(row.status).toBe('error');
    expect(row.message).toMatch(/image .* is not usable on /);
    await new Promise((r) => setTimeout(r, 300));
    expect([...workers.values()].map((w) => w.log.join('')).join('').split('time: nobuild day 1 (').length - 1).toBe(1);
  });

  it('refuses a second worker on the same data dir', () => {
    const r = spawnSync(process.execPath, [BIN, 'worker', '--config', join(base, 'w1', 'aocbench.yaml')], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/another worker \(pid \d+\) is running for this data dir/);
  });

  it("a worker's host problem keeps the stored result and says why; it is not stored as the day's error", async () => {
    // Class "partial" has one worker, whose config lacks bob, as a misconfigured host would.
    mkdirSync(join(base, 'partial'), { recursive: true });
    const cfg = writeInstance(join(base, 'partial'), { year: 2024, days: 3, repeat: { runs: 3 }, queue: { ...queue, hardwareClass: 'partial' }, participants: participants.filter((p) => p.name !== 'bob') });
    const log: string[] = [];
    const proc = spawn(process.execPath, [BIN, 'worker', '--config', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stderr!.on('data', (d) => log.push(String(d)));
    workers.set('partial', { proc, log });
    const before = withDb(join(base, 'coordinator'), (db) => db.$client.prepare("select r.run_at as at, r.status from day_results r join participants p on p.id = r.participant_id where p.name = 'bob' and r.day = 1").get() as { at: number; status: string });
    expect(before.status).toBe('correct');
    const r = cli(coordinator({ participants: participants.slice(0, 2), queue: { ...queue, hardwareClass: 'partial' } }), 'bench', '-p', 'bob', '-d', '1', '--force');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/bob day 1: not run: the worker failed: .*no participant "bob"/);
    const after = withDb(join(base, 'coordinator'), (db) => ({
      row: db.$client.prepare("select r.run_at as at, r.status from day_results r join participants p on p.id = r.participant_id where p.name = 'bob' and r.day = 1").get() as { at: number; status: string },
      health: db.$client.prepare("select h.level, h.message from health h join participants p on p.id = h.participant_id where p.name = 'bob' and h.day = 1 and h.topic = 'worker'").get() as { level: string; message: string },
    }));
    expect(after.row).toEqual(before);
    expect(after.health.level).toBe('warning');
    expect(after.health.message).toMatch(/last stored result is kept/);
  });

  it('adds no job for a duplicate trigger of the same work', async () => {
    const d = new Dispatcher({ ...queue, hardwareClass: 'nobody' }, () => {});
    try {
      const settings = { repeat: { runs: 1, targetCi: 0.03, minRuns: 10, maxRuns: 200, budgetSec: 30, warmup: 0, longAfterSec: 1, longRuns: 1, veryLongAfterSec: 1, veryLongRuns: 1, timeoutSec: 1 }, limits: { memoryMb: 64, pids: 8, outputKb: 1, diskMb: 1 } };
      const data = { participant: 'ada', commit: 'x', day: 1, version: 'v', inputVersion: 'i', imageKey: 'k', inputHash: 'h', inputSource: 'ada', answers: { part1: '1', part2: null }, reason: 'test', settings, queuedAt: 0 };
      expect((await d.submit('time', 'time-dup', data)).added).toBe(true);
      expect((await d.submit('time', 'time-dup', data)).added).toBe(false);
      expect((await d.counts()).waiting).toBe(1);
    } finally {
      await d.queue.obliterate({ force: true });
      await d.close();
    }
  });

  it('says while it waits that no worker of its class is there, and a job whose input expired is not stored', async () => {
    const config = coordinator({ participants: participants.slice(0, 1), queue: { ...queue, hardwareClass: 'lonely' } });
    const err: string[] = [];
    const bench = spawn(process.execPath, [BIN, 'bench', '-d', '1', '--force', '--config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    bench.stderr!.on('data', (d) => err.push(String(d)));
    const done = new Promise<number | null>((resolve) => bench.once('exit', resolve));
    for (let i = 0; i < 200 && !err.join('').includes('No worker of hardware class "lonely" has been seen yet'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(err.join('')).toContain('No worker of hardware class "lonely" has been seen yet');
    // The waiting job names its input by hash; the text is in Redis once. Then the input expires.
    const lonely = new Dispatcher({ ...queue, hardwareClass: 'lonely' }, () => {});
    const job = await lonely.queue.getWaiting().finally(() => lonely.close());
    expect(job).toHaveLength(1);
    expect(job[0].data.input).toBeUndefined();
    const key = `${queue.prefix}:input:${job[0].data.inputHash}`;
    expect(redisCli('get', key)).toBe('1\n2\n3');
    redisCli('del', key);
    startWorker('lonely-w', 'lonely');
    expect(await done).toBe(0);
    expect(err.join('')).toMatch(/ada day 1: not run: the worker failed: input [0-9a-f]{12} is no longer in the queue/);
  });

  it('a worker killed mid-job loses it to the other worker after the stall timeout; one result is stored', async () => {
    const config = coordinator();
    const bench = spawn(process.execPath, [BIN, 'bench', '-p', 'slow', '--config', config], { stdio: 'ignore' });
    const done = new Promise<number | null>((resolve) => bench.once('exit', resolve));
    // Whichever worker took it is killed as a host dying would be.
    let victim: string | null = null;
    for (let i = 0; i < 100 && !victim; i++) {
      await new Promise((r) => setTimeout(r, 100));
      victim = ['w1', 'w2'].find((w) => workers.get(w)!.log.join('').includes('time: slow day 1')) ?? null;
    }
    expect(victim).not.toBeNull();
    workers.get(victim!)!.proc.kill('SIGKILL');
    const survivor = victim === 'w1' ? 'w2' : 'w1';
    expect(await done).toBe(0);
    expect(workers.get(survivor)!.log.join('')).toContain('time: slow day 1');
    const rows = withDb(join(base, 'coordinator'), (db) => ({
      current: db.$client.prepare("select status from day_results join participants p on p.id = participant_id where p.name = 'slow'").all() as Array<{ status: string }>,
      history: (db.$client.prepare("select count(*) as n from day_history join participants p on p.id = participant_id where p.name = 'slow'").get() as { n: number }).n,
    }));
    expect(rows.current).toEqual([{ status: 'correct' }]);
    expect(rows.history).toBe(0);
  });

  it('a coordinator killed while a job runs stores its result on the next run, without running it again', async () => {
    commit(slowDir, { '1/sol.awk': `# v2\n${SUM_AWK}` });
    const config = coordinator();
    const logs = () => [...workers.values()].map((w) => w.log.join('')).join('');
    const starts = () => logs().split('time: slow day 1 (').length - 1;
    const before = starts();
    const bench = spawn(process.execPath, [BIN, 'bench', '-p', 'slow', '--config', config], { stdio: 'ignore' });
    for (let i = 0; i < 100 && starts() === before; i++) await new Promise((r) => setTimeout(r, 100));
    bench.kill('SIGKILL');
    // The worker finishes the job with nobody waiting for it; the result stays in the queue.
    // (Counted over every worker's log: the one killed in the test before left a start without an end.)
    const ends = () => logs().split(/done time: slow day 1 in [\d.]+ s: correct/).length - 1;
    const endsBefore = ends();
    for (let i = 0; i < 300 && ends() === endsBefore; i++) await new Promise((r) => setTimeout(r, 100));
    expect(ends()).toBe(endsBefore + 1);
    const r = cli(config, 'bench', '-p', 'slow');
    expect(r.status, r.stderr).toBe(0);
    expect(starts()).toBe(before + 1);
    const rows = withDb(join(base, 'coordinator'), (db) => db.$client.prepare("select r.status, r.version from day_results r join participants p on p.id = r.participant_id where p.name = 'slow'").all() as Array<{ status: string; version: string }>);
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('correct');
    expect(withDb(join(base, 'coordinator'), (db) => (db.$client.prepare("select count(*) as n from day_history h join participants p on p.id = h.participant_id where p.name = 'slow'").get() as { n: number }).n)).toBe(1);
  });

  it('re-runs an image: participant when its tag points at another image on the workers', async () => {
    const config = coordinator();
    const idOf = (ref: string) => execFileSync('docker', ['image', 'inspect', '-f', '{{.Id}}', ref], { encoding: 'utf8' }).trim();
    const stored = () => withDb(join(base, 'coordinator'), (db) => db.$client.prepare("select r.image_id as id, r.status from day_results r join participants p on p.id = r.participant_id where p.name = 'imgp' and r.day = 1").get() as { id: string; status: string });
    const first = cli(config, 'bench', '-p', 'imgp');
    expect(first.status, first.stderr).toBe(0);
    expect(stored()).toEqual({ id: idOf(imageTag), status: 'correct' });
    expect(redisCli('hget', `${queue.prefix}:images:test`, imageTag)).toBe(idOf(imageTag));
    // Nothing changed: nothing queued.
    expect(cli(config, 'bench', '-p', 'imgp').stderr).not.toMatch(/imgp day 1: (queued|already queued)/);
    // The tag now names another image, as after a `docker pull` on the workers' host.
    const build = spawnSync('docker', ['build', '-q', '-t', imageTag, '-'], { input: `FROM ${BUSYBOX_IMAGE}\nLABEL aocbench.test=repulled\n`, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    const newId = idOf(imageTag);
    // Workers look again between jobs (every 10 s).
    for (let i = 0; i < 250 && redisCli('hget', `${queue.prefix}:images:test`, imageTag) !== newId; i++) await new Promise((r) => setTimeout(r, 100));
    expect(redisCli('hget', `${queue.prefix}:images:test`, imageTag)).toBe(newId);
    const again = cli(config, 'bench', '-p', 'imgp');
    expect(again.stderr).toMatch(/imgp day 1: queued/);
    expect(stored()).toEqual({ id: newId, status: 'correct' });
    spawnSync('docker', ['rmi', imageTag]);
  });

  it('the daemon mirrors the workers and the queue into SQLite for the site', async () => {
    const config = coordinator({ daemon: { pollMinutes: 600 } });
    const daemon = spawn(process.execPath, [BIN, 'daemon', '--config', config], { stdio: 'ignore' });
    try {
      let rows: Array<{ id: string; hardware_class: string }> = [];
      for (let i = 0; i < 100 && rows.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 200));
        rows = withDb(join(base, 'coordinator'), (db) => db.$client.prepare('select id, hardware_class from queue_workers').all() as typeof rows);
      }
      const classes = rows.map((r) => r.hardware_class).sort();
      expect(classes).toContain('test');
      expect(classes).toContain('big');
      expect(withDb(join(base, 'coordinator'), (db) => db.$client.prepare('select count(*) as n from queue_counts').get() as { n: number }).n).toBe(1);
    } finally {
      daemon.kill('SIGTERM');
      await new Promise((r) => daemon.once('exit', r));
    }
  });
});
