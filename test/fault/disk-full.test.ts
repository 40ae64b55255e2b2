/**
 * Issue 19: the data disk fills. Before, the daemon exited with an uncaught
 * SqliteError from its exit handler, the job stayed `running`, and the reason
 * was written nowhere. The data dir here is a small tmpfs, filled for real.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listJobs } from '../../db/queries/jobs.ts';
import { listDayResults } from '../../db/queries/results.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const SUM = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';

function tryMount(dir: string): string | null {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

let base: string;
let data: string;
let mountProblem: string | null = null;

async function until(what: string, f: () => boolean, ms: number, log: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the data disk fills', () => {
  beforeAll(() => {
    base = tempDir('aocbench-fault-');
    data = join(base, 'data');
    mkdirSync(data);
    mountProblem = tryMount(data);
  });

  afterAll(() => {
    if (!mountProblem) execFileSync('umount', ['-l', data], { stdio: 'pipe' });
  });

  it('the daemon fails the job with "disk full", stays up, and carries on when space returns', async (ctx) => {
    if (mountProblem) ctx.skip(`cannot mount a tmpfs here: ${mountProblem}`);
    const repo = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`, '1/sol.awk': SUM, '1/input.txt': '1\n2\n', '1/answers.txt': '3\n2\n' }, base);
    const config = writeInstance(base, { year: 2024, days: 1, repeat: { runs: 2, warmup: 0 }, daemon: { pollMinutes: 60 }, participants: [{ name: 'Ann', repo: repo.url }] });
    const daemon = spawn(process.execPath, [BIN, 'daemon', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    daemon.stdout!.on('data', (d) => (out += d));
    daemon.stderr!.on('data', (d) => (out += d));
    const log = () => out;
    const jobs = () => withDb(base, (db) => listJobs(db));
    try {
      await until('the first cycle', () => jobs().some((j) => j.requestedBy === 'poll' && j.status === 'done'), 90_000, log);
      // Fill the disk, leaving room for a queued job's row but not for a job.
      const filler = join(data, 'filler');
      const s = statfsSync(data);
      execFileSync('fallocate', ['-l', String(s.bavail * s.bsize - 512 * 1024), filler]);
      execFileSync(process.execPath, [BIN, 'trigger', '--config', config, '-p', 'Ann', '--force'], { stdio: 'pipe' });
      const failed = () => jobs().find((j) => j.requestedBy === 'cli' && j.status === 'failed');
      await until('the triggered job to fail', () => !!failed(), 30_000, log);
      expect(failed()!.message).toMatch(new RegExp(`disk full at ${data}`));
      expect(daemon.exitCode).toBeNull();
      const problem = () => withDb(base, (db) => (db.$client.prepare("select problem from runners where kind = 'daemon'").get() as { problem: string | null } | undefined)?.problem);
      expect(problem()).toMatch(/disk full/);

      rmSync(filler);
      await until('a cycle once space is back', () => jobs().some((j) => j.requestedBy === 'host back' && j.status === 'done'), 60_000, log);
      expect(problem() ?? null).toBeNull();
      expect(daemon.exitCode).toBeNull();
      expect(withDb(base, (db) => listDayResults(db).map((r) => r.status))).toEqual(['correct']);
      expect(withDb(base, (db) => db.$client.pragma('integrity_check', { simple: true }))).toBe('ok');

      // Stopped on a disk with no byte left: the exit records fail quietly, the process ends cleanly.
      const t = statfsSync(data);
      execFileSync('fallocate', ['-l', String(t.bavail * t.bsize), filler]);
      daemon.kill('SIGTERM');
      const code = await new Promise((r) => (daemon.exitCode !== null ? r(daemon.exitCode) : daemon.once('exit', r)));
      expect(code, log()).toBe(0);
      expect(log()).not.toMatch(/SqliteError|Uncaught|at .*\.ts:\d+/);
      rmSync(filler);
      expect(withDb(base, (db) => db.$client.pragma('integrity_check', { simple: true }))).toBe('ok');
    } finally {
      daemon.kill('SIGTERM');
      await new Promise((r) => (daemon.exitCode !== null ? r(null) : daemon.once('exit', r)));
    }
  });
});
