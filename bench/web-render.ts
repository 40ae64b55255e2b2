/**
 * Page times on a large instance: 100 participants × 25 days × 10 previous
 * results, served by `aocbench web` (page cache) and, in the same run, by
 * plain `next start` (every view rendered). Prints p50/p95 per page, the
 * first view after a result lands, and leaderboard throughput at concurrency
 * 1 and 8. Goal (issue 21): leaderboard p50 ≤ 5 ms and ≥ 2,000 pages/s.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { openDataDb } from '../db/client.ts';
import { seed, syntheticSeason } from '../db/seed.ts';
import { median } from '../lib/stats.ts';
import { freePort, waitFor } from './support.ts';

const DIST = process.env.NEXT_DIST_DIR ?? '.next';
const PARTICIPANTS = 100;
const DAYS = 25;
const HISTORY = 10;

function seededInstance(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aocbench-webbench-'));
  const participants = syntheticSeason({ participants: PARTICIPANTS, days: DAYS, history: HISTORY });
  const config = join(dir, 'aocbench.yaml');
  writeFileSync(config, stringify({ year: 2024, days: DAYS, dataDir: join(dir, 'data'), participants: [] }));
  const db = openDataDb(join(dir, 'data'));
  db.transaction(() => seed(db, participants));
  db.$client.close();
  return config;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/**
 * One page view as a browser makes it (keep-alive, gzip accepted), timed
 * until the last byte; the body is not unpacked, which is the browser's work
 * on its own machine, not the server's.
 */
function timeGet(url: string): Promise<number> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    get(url, { agent, headers: { 'accept-encoding': 'gzip' } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t) : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
    }).on('error', reject);
  });
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

function serve(args: string[], config: string): ChildProcess {
  return spawn(process.execPath, args, { env: { ...process.env, NEXT_DIST_DIR: DIST, AOCBENCH_CONFIG: config }, stdio: 'ignore' });
}

async function throughput(url: string, concurrency: number, total = 2000): Promise<{ perSec: number; p50: number }> {
  let next = 0;
  const lat: number[] = [];
  const t = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < total) lat.push(await timeGet(url));
  }));
  return { perSec: total / ((performance.now() - t) / 1000), p50: median([...lat].sort((a, b) => a - b)) };
}

export async function webRender(): Promise<void> {
  if (!existsSync(join(DIST, 'BUILD_ID'))) {
    console.log(`building the app into ${DIST} …`);
    execFileSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], { env: { ...process.env, NEXT_DIST_DIR: DIST }, stdio: 'ignore' });
  }
  const t0 = performance.now();
  const config = seededInstance();
  const seedMs = performance.now() - t0;
  const [port, plainPort] = [await freePort(), await freePort()];
  // `aocbench web` (page cache + live events) and, as the baseline, plain `next start` on the same database.
  const servers = [serve(['bin/aocbench.js', 'web', '-p', String(port), '-H', '127.0.0.1'], config), serve(['node_modules/next/dist/bin/next', 'start', '-p', String(plainPort), '-H', '127.0.0.1'], config)];
  const base = `http://127.0.0.1:${port}`;
  const plain = `http://127.0.0.1:${plainPort}`;
  try {
    for (const b of [base, plain]) await waitFor(async () => (await fetch(`${b}/hardware`)).ok, 60_000);
    console.log(`## Page times: ${PARTICIPANTS} participants × ${DAYS} days × ${HISTORY} previous results (seeded in ${(seedMs / 1000).toFixed(1)} s), aocbench web vs plain next start`);
    const pages = ['/hardware', '/', '/?method=min&unit=us&anon', '/rankings', '/rankings/7', '/days/7', '/health?bad', '/participants/Participant%20042', '/api/times.json'];
    const p50 = async (url: string) => {
      for (let i = 0; i < 3; i++) await timeGet(url); // warm caches and JIT
      const xs: number[] = [];
      for (let i = 0; i < 30; i++) xs.push(await timeGet(url));
      return { p50: median([...xs].sort((a, b) => a - b)), p95: pct(xs, 0.95) };
    };
    for (const page of pages) {
      const [a, b] = [await p50(base + page), await p50(plain + page)];
      console.log(`${page.padEnd(34)} p50 ${a.p50.toFixed(1).padStart(6)} ms  p95 ${a.p95.toFixed(1).padStart(6)} ms   (next start: p50 ${b.p50.toFixed(1).padStart(6)} ms, ${(b.p50 / a.p50).toFixed(0)}×)`);
    }
    // A result landing drops the cache: the first view after it renders again.
    const writer = openDataDb(join(dirname(config), 'data'));
    const firstViews: number[] = [];
    for (let i = 0; i < 10; i++) {
      writer.$client.prepare('update day_results set run_at = run_at + 1 where participant_id = (select min(id) from participants) and day = 1').run();
      firstViews.push(await timeGet(`${base}/`));
    }
    writer.$client.close();
    console.log(`leaderboard, first view after a result lands: p50 ${median([...firstViews].sort((a, b) => a - b)).toFixed(1)} ms`);
    for (const concurrency of [1, 8]) {
      const [a, b] = [await throughput(`${base}/`, concurrency), await throughput(`${plain}/`, concurrency, 48)];
      console.log(`concurrency ${concurrency}: ${a.perSec.toFixed(0)} leaderboard pages/s, p50 ${a.p50.toFixed(1)} ms (goal ≥ 2,000/s, p50 ≤ 5 ms)   (next start: ${b.perSec.toFixed(1)}/s, p50 ${b.p50.toFixed(1)} ms; ${(a.perSec / b.perSec).toFixed(0)}×)`);
    }
  } finally {
    for (const s of servers) s.kill();
  }
}
