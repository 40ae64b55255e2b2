/**
 * Push-to-leaderboard latency, end to end: a daemon and `aocbench web`
 * running on the demo season, a commit that changes one day, the GitHub
 * webhook delivered, until `/api/results.json` shows the new version, and
 * until a leaderboard open in Chromium shows it (server-sent events).
 * Goal: webhook → stored ≤ 0.5 s plus the day's own timed runs; stored →
 * open page ≤ 1 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import Database from 'better-sqlite3';
import { ensureBusyboxImage } from '../runner/demo/busybox-image.ts';
import { DEMO_IMAGE, ensureDemoSeason } from '../runner/demo/season.ts';
import { DockerExecutor } from '../runner/executor/docker.ts';
import { median } from '../lib/stats.ts';
import { freePort, git, waitFor } from './support.ts';

const SECRET = 'push-latency-secret';
const WHO = 'Brian';
const DAY = '2';
const ROUNDS = 5;

interface DayView {
  version: string;
  runAt: string;
  samplesMs?: number[];
}

async function dayView(base: string): Promise<DayView | null> {
  const r = (await fetch(`${base}/api/results.json`).then((x) => x.json())) as { participants: Array<{ name: string; days: Record<string, DayView> }> };
  return r.participants.find((p) => p.name === WHO)?.days[DAY] ?? null;
}

const resultsAt = async (base: string) => ((await fetch(`${base}/api/status`).then((r) => r.json())) as { resultsAt: number }).resultsAt;

function start(args: string[], config: string): ChildProcess {
  return spawn(process.execPath, ['bin/aocbench.js', ...args, '--config', config], { stdio: 'ignore', detached: true, env: { ...process.env, AOCBENCH_CONFIG: config } });
}

export async function pushLatency(): Promise<void> {
  await ensureBusyboxImage(new DockerExecutor(), DEMO_IMAGE);
  const root = mkdtempSync(join(tmpdir(), 'aocbench-pushbench-'));
  const config = ensureDemoSeason(root);
  writeFileSync(config, stringify({ ...parse(readFileSync(config, 'utf8')), webhooks: { githubSecret: SECRET }, daemon: { pollMinutes: 600 } }));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const procs = [start(['daemon'], config), start(['web', '-p', String(port), '-H', '127.0.0.1'], config)];
  const { launchBrowser } = await import('../test/helpers/browser.ts');
  const browser = existsSync('/usr/bin/chromium') ? await launchBrowser() : null;
  try {
    // The daemon's first cycle benchmarks the whole season.
    await waitFor(async () => {
      const s = await fetch(`${base}/api/status`).then((r) => r.json() as Promise<{ running: unknown; queued: number }>, () => null);
      return !!s && !s.running && s.queued === 0 && !!(await dayView(base));
    }, 300_000);
    const page = await browser?.newPage();
    await page?.goto(`${base}/`);
    const upstream = join(root, 'upstream', WHO.toLowerCase());
    const rows: Array<{ stored: number; runs: number; page: number | null; pickup: number; job: number }> = [];
    const db = new Database(join(root, 'data', 'aocbench.db'), { readonly: true });
    const lastJob = () => db.prepare("select created_at as c, started_at as s from jobs where requested_by = 'webhook' order by id desc limit 1").get() as { c: number; s: number };
    for (let round = 1; round <= ROUNDS; round++) {
      const before = (await dayView(base))!.version;
      appendFileSync(join(upstream, DAY, 'solve.sh'), `# round ${round}\n`);
      git(upstream, 'commit', '-qam', `day ${DAY}, round ${round}`);
      const body = JSON.stringify({ ref: 'refs/heads/main', repository: { clone_url: `file://${upstream}` } });
      const t0 = performance.now();
      const res = await fetch(`${base}/api/webhooks/github`, {
        method: 'POST', body,
        headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` },
      });
      if (res.status !== 202) throw new Error(`webhook: HTTP ${res.status} ${await res.text()}`);
      // Watched through /api/status (a few small queries), not by re-reading every result 200 times a second.
      const since = await resultsAt(base);
      await waitFor(async () => (await resultsAt(base)) > since, 60_000, 5);
      const stored = performance.now() - t0;
      const view = await dayView(base);
      if (view?.version === before) throw new Error('a result landed, but not the pushed version');
      const runAt = Date.parse(view!.runAt);
      // The open page says when its newest result was stored: it shows this one once that reaches runAt.
      let shown: number | null = null;
      if (page) {
        await page.waitForFunction((at) => Number(document.querySelector('[data-testid=live-version]')?.getAttribute('data-results-at')) >= at, runAt, { timeout: 10_000, polling: 5 });
        shown = performance.now() - t0 - stored;
      }
      const job = lastJob();
      rows.push({ stored, runs: (view!.samplesMs ?? []).reduce((a, b) => a + b, 0), page: shown, pickup: job.s - job.c, job: Date.parse(view!.runAt) - job.s });
      // Let the job's matrix part finish before the next push.
      await waitFor(async () => {
        const s = (await fetch(`${base}/api/status`).then((r) => r.json())) as { running: unknown; queued: number };
        return !s.running && s.queued === 0;
      }, 120_000);
    }
    db.close();
    const med = (xs: number[]) => median([...xs].sort((a, b) => a - b));
    console.log(`## Push-to-leaderboard latency (demo season, ${WHO} day ${DAY}, ${ROUNDS} pushes, daemon + aocbench web)`);
    for (const [i, r] of rows.entries()) {
      console.log(`push ${i + 1}: webhook → stored ${(r.stored / 1000).toFixed(3)} s (queued → started ${(r.pickup / 1000).toFixed(3)} s, started → stored ${(r.job / 1000).toFixed(3)} s of which timed runs ${(r.runs / 1000).toFixed(3)} s; the rest ${((r.stored - r.runs) / 1000).toFixed(3)} s); stored → open page ${r.page === null ? 'n/a (no Chromium)' : `${(r.page / 1000).toFixed(3)} s`}`);
    }
    // The daemon logs where each job's time went: the last push's breakdown.
    const profiles = readFileSync(join(root, 'data', 'daemon.log'), 'utf8').split('\n').filter((l) => l.includes('"bench profile"'));
    const last = profiles.length ? (JSON.parse(profiles[profiles.length - 1]) as { profile: { foreground: Array<{ phase: string; ms: number }> } }).profile : null;
    if (last) console.log(`last push, the daemon's job: ${last.foreground.map((p) => `${p.phase} ${(p.ms / 1000).toFixed(3)}`).join(', ')} s`);
    console.log(`median: webhook → stored minus timed runs ${(med(rows.map((r) => r.stored - r.runs)) / 1000).toFixed(3)} s (goal ≤ 0.5 s); stored → open page ${rows[0].page === null ? 'n/a' : `${(med(rows.map((r) => r.page!)) / 1000).toFixed(3)} s`} (goal ≤ 1 s)`);
  } finally {
    await browser?.close();
    for (const p of procs) {
      try {
        process.kill(-p.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 1000));
    rmSync(root, { recursive: true, force: true });
  }
}
