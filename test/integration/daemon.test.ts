import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { listJobs, type JobRow } from '../../db/queries/jobs.ts';
import { listDayResults } from '../../db/queries/results.ts';
import { commit, makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const SUM = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';
const SLOW = '{ s += $1 } END { system("usleep 400000"); print "Part 1: " s; print "Part 2: " NR }\n';

let base: string;
let config: string;
let repo: { dir: string; url: string };
let daemon: ChildProcess | null = null;
let daemonOutput = '';

function start(): ChildProcess {
  daemonOutput = '';
  const p = spawn(process.execPath, [BIN, 'daemon', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  p.stdout!.on('data', (d) => (daemonOutput += d));
  p.stderr!.on('data', (d) => (daemonOutput += d));
  return p;
}

const read = <T>(f: (db: Db) => T): T => withDb(base, f);

const runAt = (day: number) => read((db) => listDayResults(db).find((r) => r.day === day)?.runAt ?? null);
const job = (id: number): JobRow | undefined => read((db) => listJobs(db).find((j) => j.id === id));
const trigger = (...args: string[]) => Number(/queued job (\d+)/.exec(execFileSync(process.execPath, [BIN, 'trigger', '--config', config, ...args], { encoding: 'utf8' }))![1]);
const containers = () => execFileSync('docker', ['ps', '-aq', '--filter', 'label=aocbench.participant=alice'], { encoding: 'utf8' }).trim();

async function until(what: string, f: () => boolean, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (f()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}\n${daemonOutput}`);
}

const exited = (p: ChildProcess) => new Promise<number | null>((r) => (p.exitCode !== null ? r(p.exitCode) : p.once('exit', (c) => r(c))));

beforeAll(async () => {
  base = tempDir();
  repo = makeRepo({
    '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`,
    '1/sol.awk': SUM, '1/input.txt': '1\n2\n', '1/answers.txt': '3\n2\n',
    '2/sol.awk': SLOW, '2/input.txt': '4\n', '2/answers.txt': '4\n1\n',
  }, base);
  config = writeInstance(base, { year: 2024, days: 2, repeat: { runs: 5 }, daemon: { pollMinutes: 60 }, participants: [{ name: 'alice', repo: repo.url }] });
  daemon = start();
  await until('the first poll cycle', () => runAt(1) !== null && runAt(2) !== null && read((db) => listJobs(db)[0]?.status) === 'done');
}, 180_000);

afterAll(async () => {
  if (daemon && daemon.exitCode === null) {
    daemon.kill('SIGKILL');
    await exited(daemon);
  }
});

describe('daemon', () => {
  it('refuses a second daemon on the same data dir', () => {
    const r = spawnSync(process.execPath, [BIN, 'daemon', '--config', config], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/another daemon \(pid \d+\) is running/);
  });

  it('a pushed commit re-benchmarks only the changed day', async () => {
    const [d1, d2] = [runAt(1)!, runAt(2)!];
    commit(repo.dir, { '1/sol.awk': `# v2\n${SUM}` });
    const id = trigger('-p', 'alice');
    await until(`job ${id}`, () => job(id)?.status === 'done');
    expect(runAt(1)).toBeGreaterThan(d1);
    expect(runAt(2)).toBe(d2);
  });

  it('after kill -9 mid-job: intact database, no half result, the job runs again on restart', async () => {
    const before = runAt(2)!;
    const id = trigger('-p', 'alice', '-d', '2', '--force');
    await until('the job to time day 2', () => /day 2: timing/.test(job(id)?.progress ?? ''));
    daemon!.kill('SIGKILL');
    await exited(daemon!);
    expect(read((db) => db.$client.pragma('integrity_check', { simple: true }))).toBe('ok');
    expect(runAt(2)).toBe(before);
    expect(job(id)?.status).toBe('running');
    daemon = start();
    await until(`job ${id} after the restart`, () => job(id)?.status === 'done');
    expect(runAt(2)).toBeGreaterThan(before);
    expect(read((db) => listDayResults(db).find((r) => r.day === 2)?.sampleCount)).toBe(5);
  });

  it('SIGTERM stops the container, records the job as interrupted and exits', async () => {
    const before = read((db) => listDayResults(db).find((r) => r.day === 2));
    const id = trigger('-p', 'alice', '-d', '2', '--force');
    await until('the job to time day 2', () => /day 2: timing/.test(job(id)?.progress ?? ''));
    daemon!.kill('SIGTERM');
    expect(await exited(daemon!)).toBe(0);
    expect(job(id)?.status).toBe('interrupted');
    // The run the shutdown cut short is not stored as a failure of the code.
    expect(read((db) => listDayResults(db).find((r) => r.day === 2))).toMatchObject({ runAt: before!.runAt, status: 'correct' });
    expect(containers()).toBe('');
  });
});
