import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.ts';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { inSeason, openDataDb } from '../../db/client.ts';
import { seed, type SeedParticipant, type SeedResult } from '../../db/seed.ts';

const ROOT = join(import.meta.dirname, '../..');

export interface WebServer {
  url: string;
  /** The `aocbench web` process (its memory can be read from /proc). */
  pid: number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().once('error', reject).listen(0, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** `aocbench web` (the page cache and live events in front of Next.js) on the already-built app; the dist dir comes from NEXT_DIST_DIR like in next.config.ts. */
export async function startWebServer(configFile: string, env: Record<string, string> = {}): Promise<WebServer> {
  const dist = process.env.NEXT_DIST_DIR ?? '.next';
  if (!existsSync(join(ROOT, dist, 'BUILD_ID'))) throw new Error(`no Next build in ${dist}: run \`NEXT_DIST_DIR=${dist} npx next build\` first`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['bin/aocbench.js', 'web', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: { ...process.env, NEXT_DIST_DIR: dist, AOCBENCH_CONFIG: configFile, NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group, so stop() also reaches any worker next spawns.
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));

  const stop = async () => {
    if (!running) return;
    process.kill(-child.pid!, 'SIGTERM');
    const killer = setTimeout(() => running && process.kill(-child.pid!, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  };

  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (!running) throw new Error(`aocbench web exited early:\n${output}`);
    if (await fetch(url, { signal: AbortSignal.timeout(2000) }).then(() => true, () => false)) return { url, pid: child.pid!, stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`aocbench web did not answer on ${url} within 30 s:\n${output}`);
}

/** Odd sample count, so the median is exactly `ms`; min and max stay close but distinct. */
const around = (ms: number): number[] => [ms, ms * 1.08, ms * 0.95];
const ok = (day: number, ms: number): SeedResult => ({ day, status: 'correct', samples: around(ms) });

export const WRONG = { day: 2, output: 'Part 1: 7654321\nPart 2: 4242\n', part1: '1234567', part2: '4242' };

/**
 * Medians (ms) per day, chosen so that day 1 has a two-way gold tie (no silver), Edsger fails
 * day 2, Alan misses day 4 yet out-scores Barbara, and Ada's day-1 minimum (11.25) differs from her median.
 */
const PARTICIPANTS: SeedParticipant[] = [
  { name: 'Ada Lovelace', language: 'rust', results: [{ day: 1, status: 'correct', samples: [12.5, 14, 11.25, 13, 12] }, ok(2, 5), ok(3, 100), ok(4, 0.5), ok(5, 2.5)] },
  { name: 'Grace Hopper', language: 'go', results: [ok(1, 12.5), ok(2, 3), ok(3, 200), ok(4, 2), ok(5, 1.5)] },
  { name: 'Alan Turing', language: 'python', results: [ok(1, 20), ok(2, 4), ok(3, 300), ok(5, 1)] },
  {
    name: 'Edsger Dijkstra', language: 'c',
    results: [ok(1, 30), { day: WRONG.day, status: 'wrong', message: 'wrong answer for part 1', checkOutput: WRONG.output, expected: { part1: WRONG.part1, part2: WRONG.part2 } }, ok(3, 50), ok(4, 3), ok(5, 3)],
  },
  { name: 'Barbara Liskov', language: 'java', results: [ok(1, 40), ok(2, 8), ok(3, 400), ok(4, 1), ok(5, 2)] },
];

export const NAMES = PARTICIPANTS.map((p) => p.name);

/** Which season a seeded instance holds: PARTICIPANTS in a 2025 instance of 12 days, unless told otherwise. */
export interface Season {
  participants: SeedParticipant[];
  year: number;
  days: number;
}

const DEFAULT_SEASON: Season = { participants: PARTICIPANTS, year: 2025, days: 12 };

/** A fresh instance (podium) seeded with a season; `ids` maps each name to its participant id. */
export function seededInstance(season: Season = DEFAULT_SEASON): { dir: string; config: string; ids: Record<string, number> } {
  const dir = mkdtempSync(join(tmpdir(), 'aocbench-browser-'));
  const config = join(dir, 'aocbench.yaml');
  writeFileSync(config, stringify({ year: season.year, days: season.days, podium: true, dataDir: join(dir, 'data'), inputsDir: join(dir, 'inputs'), participants: [] }));
  // As the runner writes: the season's rows are that season's.
  const db = inSeason(openDataDb(join(dir, 'data')), season.year);
  try {
    db.transaction(() => seed(db, season.participants, Date.UTC(season.year, 11, 6, 12)));
    const rows = db.$client.prepare('select id, name from participants').all() as Array<{ id: number; name: string }>;
    return { dir, config, ids: Object.fromEntries(rows.map((r) => [r.name, r.id])) };
  } finally {
    db.$client.close();
  }
}

/**
 * The seeded instance served by `aocbench web` and a Chromium, for one test file:
 * set up before its tests (after `prepare` has written to the fresh database) and torn down after.
 */
export function seededSite(prepare?: (inst: ReturnType<typeof seededInstance>) => void, season?: Season) {
  const site = {} as { inst: ReturnType<typeof seededInstance>; server: WebServer; browser: Browser };
  beforeAll(async () => {
    site.inst = seededInstance(season);
    prepare?.(site.inst);
    site.server = await startWebServer(site.inst.config);
    site.browser = await launchBrowser();
  });
  afterAll(async () => {
    await site.browser?.close();
    await site.server?.stop();
    if (site.inst) rmSync(site.inst.dir, { recursive: true, force: true });
  });
  return site;
}
