/**
 * Page render times on a large instance: 100 participants × 25 days × 10
 * previous results, served by the production build. Prints p50/p95 per page
 * (goal: leaderboard p50 ≤ 30 ms), the ratio to a near-empty page measured in
 * the same run, and throughput under concurrent load.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { dbPath, openDb } from '../db/client.ts';
import { seed, syntheticSeason } from '../db/seed.ts';
import { median } from '../lib/stats.ts';

const DIST = process.env.NEXT_DIST_DIR ?? '.next';
const PARTICIPANTS = 100;
const DAYS = 25;
const HISTORY = 10;

function seededInstance(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aocbench-webbench-'));
  const participants = syntheticSeason({ participants: PARTICIPANTS, days: DAYS, history: HISTORY });
  const config = join(dir, 'aocbench.yaml');
  writeFileSync(config, stringify({ year: 2024, days: DAYS, dataDir: join(dir, 'data'), participants: [] }));
  const db = openDb(dbPath(join(dir, 'data')));
  db.transaction(() => seed(db, participants));
  db.$client.close();
  return config;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitUp(url: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await fetch(url).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server at ${url} did not start`);
}

async function timeGet(url: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return performance.now() - t;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

export async function webRender(): Promise<void> {
  if (!existsSync(join(DIST, 'BUILD_ID'))) {
    console.log(`building the app into ${DIST} …`);
    execFileSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], { env: { ...process.env, NEXT_DIST_DIR: DIST }, stdio: 'ignore' });
  }
  const t0 = performance.now();
  const config = seededInstance();
  const seedMs = performance.now() - t0;
  const port = await freePort();
  const server = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(port)], {
    env: { ...process.env, NEXT_DIST_DIR: DIST, AOCBENCH_CONFIG: config }, stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUp(`${base}/hardware`);
    console.log(`## Page render times: ${PARTICIPANTS} participants × ${DAYS} days × ${HISTORY} previous results (seeded in ${(seedMs / 1000).toFixed(1)} s)`);
    const pages = ['/hardware', '/', '/?method=min&unit=us', '/rankings', '/rankings/7', '/days/7', '/health?bad', '/participants/Participant%20042', '/api/times.json'];
    const p50s = new Map<string, number>();
    for (const page of pages) {
      for (let i = 0; i < 3; i++) await timeGet(base + page); // warm caches and JIT
      const xs: number[] = [];
      for (let i = 0; i < 30; i++) xs.push(await timeGet(base + page));
      p50s.set(page, median([...xs].sort((a, b) => a - b)));
      console.log(`${page.padEnd(34)} p50 ${p50s.get(page)!.toFixed(1).padStart(7)} ms   p95 ${pct(xs, 0.95).toFixed(1).padStart(7)} ms`);
    }
    console.log(`leaderboard p50 ${p50s.get('/')!.toFixed(1)} ms (goal ≤ 30 ms); ${(p50s.get('/')! / p50s.get('/hardware')!).toFixed(1)}× the near-empty /hardware page`);
    for (const concurrency of [1, 4, 8]) {
      const total = 64;
      let next = 0;
      const t = performance.now();
      const lat: number[] = [];
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next++ < total) lat.push(await timeGet(`${base}/`));
        }),
      );
      const secs = (performance.now() - t) / 1000;
      console.log(`concurrency ${concurrency}: ${(total / secs).toFixed(1)} leaderboard pages/s, p50 latency ${median([...lat].sort((a, b) => a - b)).toFixed(1)} ms`);
    }
  } finally {
    server.kill();
  }
}
