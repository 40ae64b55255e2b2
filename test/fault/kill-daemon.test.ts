/**
 * Issue 19: the daemon killed with -9 in each phase of a cycle (the sync, an
 * image build, a timed run), then started again. Every time: the database is
 * intact, the job that was running is queued again and ends, no `correct`
 * result is lost, and nothing is charged to a participant.
 */
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listHealth } from '../../db/queries/health.ts';
import { listJobs } from '../../db/queries/jobs.ts';
import { listDayResults } from '../../db/queries/results.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const SUM = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';
const SLOW = '{ s += $1 } END { system("usleep 300000"); print "Part 1: " s; print "Part 2: " NR }\n';
const DAY = (sol: string) => ({ '1/sol.awk': sol, '1/input.txt': '1\n2\n', '1/answers.txt': '3\n2\n' });

let base: string;
let config: string;
let daemon: ChildProcess | null = null;
let out = '';

function start(): void {
  daemon = spawn(process.execPath, [BIN, 'daemon', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  daemon.stdout!.on('data', (d) => (out += d));
  daemon.stderr!.on('data', (d) => (out += d));
}

async function kill9(): Promise<void> {
  const p = daemon!;
  p.kill('SIGKILL');
  await new Promise((r) => (p.exitCode !== null || p.signalCode ? r(null) : p.once('exit', r)));
}

const running = () => withDb(base, (db) => listJobs(db).find((j) => j.status === 'running'));

async function until(what: string, f: () => boolean, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${out}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the daemon killed with -9 in each phase', () => {
  beforeAll(() => {
    base = tempDir('aocbench-fault-');
    // A 5 MB file, so that the clone takes a moment.
    const big = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`, ...DAY(SUM), 'blob.bin': randomBytes(4 << 20).toString('base64') }, base);
    const builder = makeRepo({
      '.aocbench.yaml': 'version: 1\ndockerfile: Dockerfile\ncmd: awk -f %day%/sol.awk %input%\n',
      // A build nobody has cached, that lasts long enough to be killed in.
      Dockerfile: `FROM ${BUSYBOX_IMAGE}\nLABEL nonce=${randomBytes(6).toString('hex')}\nRUN sleep 3\n`,
      ...DAY(SUM),
    }, base);
    const slow = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`, ...DAY(SLOW) }, base);
    config = writeInstance(base, {
      year: 2024, days: 1, repeat: { runs: 4, warmup: 0 }, daemon: { pollMinutes: 60 },
      participants: [{ name: 'Big', repo: big.url }, { name: 'Builder', repo: builder.url }, { name: 'Slow', repo: slow.url }],
    });
  });

  afterAll(async () => {
    if (daemon && daemon.exitCode === null) {
      daemon.kill('SIGTERM');
      await new Promise((r) => daemon!.once('exit', r));
    }
  });

  it('sync, build, timed run: each kill leaves an intact database and the job runs to its end', async () => {
    start();
    await until('the sync', () => /updating/.test(running()?.progress ?? ''));
    const jobId = running()!.id;
    await kill9();
    start();
    // Progress lines reach the jobs table at most every 250 ms; the log has every one.
    const logged = () => (existsSync(join(base, 'data/daemon.log')) ? readFileSync(join(base, 'data/daemon.log'), 'utf8') : '');
    const builds = () => logged().split('Builder: preparing its image').length - 1;
    const seen = builds();
    await until('the image build', () => builds() > seen);
    await new Promise((r) => setTimeout(r, 500));
    await kill9();
    start();
    await until('a timed run', () => /timing-runs/.test(running()?.progress ?? ''));
    await kill9();
    expect(withDb(base, (db) => db.$client.pragma('integrity_check', { simple: true }))).toBe('ok');
    start();
    await until('the job to end', () => withDb(base, (db) => listJobs(db).find((j) => j.id === jobId))?.status === 'done');
    const statuses = withDb(base, (db) => listDayResults(db).map((r) => r.status));
    expect(statuses).toEqual(['correct', 'correct', 'correct']);
    // Nothing of the kills is any participant's: no repo, image or run error on the health page.
    expect(withDb(base, (db) => listHealth(db).filter((h) => h.level === 'error'))).toEqual([]);
    expect(withDb(base, (db) => db.$client.pragma('integrity_check', { simple: true }))).toBe('ok');
  });
});
