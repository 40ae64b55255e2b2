/**
 * Issue 19: Docker goes away in the middle of a run. Before, the days it hit
 * were stored as the participants' `error` ("signal -129", "the sandbox
 * ended", "connect ENOENT") over their good results, and nothing re-ran them
 * when Docker came back. Docker is cut for real here: the runner reaches it
 * through a socket proxy that the test closes mid-run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listJobs } from '../../db/queries/jobs.ts';
import { listDayResults } from '../../db/queries/results.ts';
import { DockerProxy } from '../helpers/docker-proxy.ts';
import { commit, makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const DAYS = 4;
// Slow enough that the cut lands while days are still to run.
const sol = (tag: string) => `{ s += $1 } END { system("usleep 150000"); print "Part 1: " s; print "Part 2: " NR } # ${tag}\n`;

function repoFiles(tag: string): Record<string, string> {
  const files: Record<string, string> = { '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n` };
  for (let d = 1; d <= DAYS; d++) Object.assign(files, { [`${d}/sol.awk`]: sol(tag), [`${d}/input.txt`]: `${d}\n2\n`, [`${d}/answers.txt`]: `${d + 2}\n2\n` });
  return files;
}
const codeChange = (tag: string) => Object.fromEntries(Array.from({ length: DAYS }, (_, i) => [`${i + 1}/sol.awk`, sol(tag)]));

type Row = { name: string; day: number; status: string; version: string; runAt: number };
const rows = (dir: string): Row[] =>
  withDb(dir, (db) => {
    const names = new Map(db.$client.prepare('select id, name from participants').all().map((p: any) => [p.id, p.name]));
    return listDayResults(db).map((r) => ({ name: names.get(r.participantId)!, day: r.day, status: r.status, version: r.version, runAt: r.runAt }));
  });
const integrity = (dir: string) => withDb(dir, (db) => db.$client.pragma('integrity_check', { simple: true }));

function run(args: string[], env: Record<string, string>) {
  const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout!.on('data', (d) => (out += d));
  p.stderr!.on('data', (d) => (out += d));
  const done = new Promise<number | null>((r) => p.once('exit', (c) => r(c)));
  return { p, done, output: () => out };
}

async function until(what: string, f: () => boolean, ms = 60_000, log = () => ''): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Docker goes away mid-run', () => {
  const proxy = new DockerProxy();
  let base: string;
  let config: string;
  let repos: Array<{ dir: string; url: string }>;

  beforeAll(async () => {
    await proxy.start();
    base = tempDir('aocbench-fault-');
    repos = [makeRepo(repoFiles('v1'), base), makeRepo(repoFiles('v1'), base)];
    config = writeInstance(base, { year: 2024, days: DAYS, repeat: { runs: 2, warmup: 0 }, participants: [{ name: 'Ann', repo: repos[0].url }, { name: 'Bob', repo: repos[1].url }] });
    const first = run(['bench', '--config', config], proxy.env);
    expect(await first.done, first.output()).toBe(0);
  });

  afterAll(async () => {
    await proxy.cut();
  });

  it('bench: keeps every stored result, stores nothing for the host, exits with the host reason; the next bench re-plans what did not run', async () => {
    const before = rows(base);
    expect(before.map((r) => r.status)).toEqual(Array(2 * DAYS).fill('correct'));
    for (const r of repos) commit(r.dir, codeChange('v2'));
    const second = run(['bench', '--config', config], proxy.env);
    // One new result stored, then Docker goes away.
    await until('the first day of the second bench', () => rows(base).some((r) => r.runAt > Math.max(...before.map((b) => b.runAt))), 60_000, second.output);
    await proxy.cut();
    const code = await second.done;
    expect(code, second.output()).not.toBe(0);
    expect(second.output()).toMatch(/host cannot run sandboxes now/);
    const after = rows(base);
    expect(after.map((r) => r.status), second.output()).toEqual(Array(2 * DAYS).fill('correct'));
    const rerun = after.filter((r) => !before.some((b) => b.name === r.name && b.day === r.day && b.version === r.version));
    expect(rerun.length).toBeGreaterThan(0);
    expect(rerun.length).toBeLessThan(2 * DAYS);
    expect(integrity(base)).toBe('ok');
    // The command-line job says why it failed.
    expect(withDb(base, (db) => listJobs(db).find((j) => j.requestedBy === 'command line' && j.status === 'failed')?.message)).toMatch(/host cannot run sandboxes/);

    await proxy.start();
    const third = run(['bench', '--config', config], proxy.env);
    expect(await third.done, third.output()).toBe(0);
    const healed = rows(base);
    expect(healed.map((r) => r.status)).toEqual(Array(2 * DAYS).fill('correct'));
    // Every day now stands at the new code: the ones the cut kept from running ran now.
    expect(new Set(healed.map((r) => r.version)).size).toBe(DAYS);
    expect(healed.filter((r) => before.some((b) => b.name === r.name && b.day === r.day && b.version === r.version))).toEqual([]);
  });

  it('daemon: the job fails with the reason, the banner says what the daemon waits for, and a cycle runs when Docker is back', async () => {
    for (const r of repos) commit(r.dir, codeChange('v3'));
    const before = rows(base);
    const daemon: { p: ChildProcess; done: Promise<number | null>; output: () => string } = run(['daemon', '--config', config], proxy.env);
    try {
      await until('the cycle to store a day', () => rows(base).some((r) => r.runAt > Math.max(...before.map((b) => b.runAt))), 60_000, daemon.output);
      await proxy.cut();
      const failed = () => withDb(base, (db) => listJobs(db).find((j) => j.requestedBy === 'poll' && j.status === 'failed'));
      await until('the cycle job to fail', () => !!failed(), 60_000, daemon.output);
      expect(failed()!.message).toMatch(/host cannot run sandboxes now/);
      const problem = () => withDb(base, (db) => db.$client.prepare('select problem from runners where kind = ?').get('daemon') as { problem: string | null } | undefined);
      await until('the daemon to say what it waits for', () => !!problem()?.problem, 10_000, daemon.output);
      expect(problem()!.problem).toMatch(/Docker|ENOENT|connect/i);
      expect(rows(base).map((r) => r.status)).toEqual(Array(2 * DAYS).fill('correct'));

      await proxy.start();
      const back = () => withDb(base, (db) => listJobs(db).find((j) => j.requestedBy === 'host back'));
      await until('a cycle after Docker is back', () => back()?.status === 'done', 90_000, daemon.output);
      expect(problem()?.problem ?? null).toBeNull();
      const healed = rows(base);
      expect(healed.map((r) => r.status)).toEqual(Array(2 * DAYS).fill('correct'));
      expect(new Set(healed.map((r) => r.version)).size).toBe(DAYS);
      expect(healed.filter((r) => before.some((b) => b.name === r.name && b.day === r.day && b.version === r.version))).toEqual([]);
      expect(integrity(base)).toBe('ok');
    } finally {
      daemon.p.kill('SIGTERM');
      await daemon.done;
    }
  });
});
