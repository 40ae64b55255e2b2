/**
 * Issue 19, "a webhook storm": 200 signed push deliveries for one repository
 * within seconds, through a real `aocbench web` to a real daemon over real git
 * repositories. They coalesce into the job already queued for that work, and
 * another participant's push that follows starts after at most one job.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listJobs, type JobRow } from '../../db/queries/jobs.ts';
import { listDayResults } from '../../db/queries/results.ts';
import { listParticipantViews } from '../../db/queries/views.ts';
import { commit, makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';
import { startWebServer, type WebServer } from '../helpers/web-server.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const SECRET = 'storm-secret-0123456789';
const SUM = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';
// Alice's pushed code takes seconds to benchmark: her first job is still running while the storm goes on.
const SLOW = '{ s += $1 } END { system("usleep 1200000"); print "Part 1: " s; print "Part 2: " NR }\n';
const YAML = `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`;

let base: string;
let alice: { dir: string; url: string };
let bob: { dir: string; url: string };
let server: WebServer;
let daemon: ChildProcess;
let daemonOutput = '';

const jobs = (): JobRow[] => withDb(base, (db) => listJobs(db, 10_000));
const resultOf = (name: string) =>
  withDb(base, (db) => {
    const id = listParticipantViews(db).find((p) => p.name === name)!.id;
    return listDayResults(db, [id]).find((r) => r.day === 1) ?? null;
  });

async function until(what: string, f: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (f()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}\n${daemonOutput.slice(-3000)}`);
}

function push(url: string): Promise<Response> {
  const body = JSON.stringify({ ref: 'refs/heads/main', repository: { clone_url: url } });
  const sig = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  return fetch(`${server.url}/api/webhooks/github`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': sig, 'x-github-delivery': randomUUID() }, body });
}

/** `n` deliveries, `width` at a time. */
async function storm(url: string, n: number, width: number): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) {
        next++;
        const r = await push(url);
        statuses.push(r.status);
        await r.arrayBuffer();
      }
    }),
  );
  return statuses;
}

beforeAll(async () => {
  base = tempDir('aocbench-fault-');
  alice = makeRepo({ '.aocbench.yaml': YAML, '1/sol.awk': SUM, '1/input.txt': '1\n2\n', '1/answers.txt': '3\n2\n' }, base);
  bob = makeRepo({ '.aocbench.yaml': YAML, '1/sol.awk': SUM, '1/input.txt': '4\n5\n', '1/answers.txt': '9\n2\n' }, base);
  const config = writeInstance(base, {
    year: 2024, days: 1, repeat: { runs: 3, warmup: 0 }, daemon: { pollMinutes: 60 }, webhooks: { githubSecret: SECRET },
    participants: [{ name: 'alice', repo: alice.url }, { name: 'bob', repo: bob.url }],
  });
  server = await startWebServer(config);
  daemon = spawn(process.execPath, [BIN, 'daemon', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  daemon.stdout!.on('data', (d) => (daemonOutput += d));
  daemon.stderr!.on('data', (d) => (daemonOutput += d));
  await until('the first poll cycle', () => jobs().some((j) => j.requestedBy === 'poll' && j.status === 'done') && !!resultOf('bob'), 150_000);
}, 240_000);

afterAll(async () => {
  if (daemon && daemon.exitCode === null) {
    daemon.kill('SIGTERM');
    await new Promise((r) => (daemon.exitCode !== null ? r(null) : daemon.once('exit', r)));
  }
  await server?.stop();
});

describe('a webhook storm for one repository', () => {
  it('coalesces into one queued job, and another participant waits for one job at most', async () => {
    const bobBefore = resultOf('bob')!;
    commit(alice.dir, { '1/sol.awk': SLOW }, 'slow');
    const t0 = Date.now();
    const statuses = await storm(alice.url, 200, 16);
    const stormMs = Date.now() - t0;
    expect(statuses.every((s) => s === 202), `statuses ${[...new Set(statuses)]}`).toBe(true);

    commit(bob.dir, { '1/sol.awk': `# faster\n${SUM}` }, 'bob v2');
    const bobPushed = Date.now();
    expect((await push(bob.url)).status).toBe(202);
    await until("bob's new result", () => (resultOf('bob')?.runAt ?? 0) > bobPushed, 90_000);
    const bobMs = Date.now() - bobPushed;
    await until('the queue to drain', () => jobs().every((j) => j.status !== 'queued' && j.status !== 'running'), 90_000);

    const all = jobs();
    const aliceJobs = all.filter((j) => j.participant === 'alice' && j.requestedBy === 'webhook');
    const bobJob = all.find((j) => j.participant === 'bob' && j.requestedBy === 'webhook')!;
    // 200 deliveries: a running job and the one queued behind it (one more if a job ended mid-storm).
    expect(aliceJobs.length, `alice's jobs after a ${stormMs} ms storm: ${JSON.stringify(aliceJobs.map((j) => [j.id, j.status, j.startedAt]))}`).toBeGreaterThanOrEqual(1);
    expect(aliceJobs.length).toBeLessThanOrEqual(3);
    // Bob waited for the job running when he pushed, no more: the queue serves the participant served longest ago first,
    // so alice's queued job (queued before his) starts after his.
    const startedWhileBobWaited = all.filter((j) => j.id !== bobJob.id && j.startedAt! > bobJob.createdAt && j.startedAt! < bobJob.startedAt!);
    expect(startedWhileBobWaited.map((j) => j.id)).toEqual([]);
    expect(bobMs).toBeLessThan(60_000);
    expect(resultOf('bob')).toMatchObject({ status: 'correct' });
    expect(resultOf('bob')!.version).not.toBe(bobBefore.version);
    expect(resultOf('alice')).toMatchObject({ status: 'correct' });
    // Every job ended, and ended well; the database is intact.
    expect(all.filter((j) => j.status !== 'done').map((j) => [j.id, j.status, j.message])).toEqual([]);
    expect(withDb(base, (db) => db.$client.pragma('integrity_check', { simple: true }))).toBe('ok');
  });
});
