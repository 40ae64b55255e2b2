/**
 * The daemon with several seasons (issue 24): its poll keeps every season that
 * is not frozen current and leaves a frozen one alone; `aocbench trigger
 * --season YEAR` runs that one season, frozen or not.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inSeason, type Db } from '../../db/client.ts';
import { listJobs } from '../../db/queries/jobs.ts';
import { listDayResults } from '../../db/queries/results.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const SUM = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';
const YAML = `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`;

let base: string;
let config: string;
let daemon: ChildProcess | null = null;
let output = '';

const results = (season: number) => withDb(base, (db: Db) => listDayResults(inSeason(db, season)).map((r) => `${r.day}:${r.status}`));
const jobs = () => withDb(base, (db: Db) => listJobs(db));

async function until(what: string, f: () => boolean, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (f()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}\n${output}`);
}

beforeAll(async () => {
  base = tempDir('aocbench-daemon-seasons-');
  // One repository, a folder per year.
  const repo = makeRepo({
    '2023/.aocbench.yaml': YAML, '2023/1/sol.awk': SUM, '2023/1/input.txt': '1\n2\n', '2023/1/answers.txt': '3\n2\n',
    '2024/.aocbench.yaml': YAML, '2024/1/sol.awk': SUM, '2024/1/input.txt': '4\n', '2024/1/answers.txt': '4\n1\n',
  }, base);
  config = writeInstance(base, {
    seasons: [{ year: 2023, days: 1, frozen: true }, { year: 2024, days: 1 }],
    repeat: { runs: 3, warmup: 0 }, daemon: { pollMinutes: 60 },
    participants: [{ name: 'alice', repo: repo.url, path: '%year%' }],
  });
  daemon = spawn(process.execPath, [BIN, 'daemon', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  daemon.stdout!.on('data', (d) => (output += d));
  daemon.stderr!.on('data', (d) => (output += d));
  await until('the first poll cycle', () => jobs()[0]?.status === 'done');
}, 180_000);

afterAll(async () => {
  if (daemon && daemon.exitCode === null) {
    const gone = new Promise((r) => daemon!.once('exit', r));
    daemon.kill('SIGTERM');
    await gone;
  }
});

describe('the daemon with seasons', () => {
  it('keeps the open season current and leaves the frozen one alone', () => {
    expect(results(2024)).toEqual(['1:correct']);
    expect(results(2023)).toEqual([]);
  });

  it('runs a frozen season when asked for it', async () => {
    const out = execFileSync(process.execPath, [BIN, 'trigger', '--config', config, '--season', '2023'], { encoding: 'utf8' });
    const id = Number(/queued job (\d+)/.exec(out)![1]);
    expect(jobs().find((j) => j.id === id)?.season).toBe(2023);
    await until('the 2023 job', () => jobs().find((j) => j.id === id)?.status === 'done');
    expect(results(2023)).toEqual(['1:correct']);
    expect(results(2024)).toEqual(['1:correct']);
  }, 120_000);

  it('refuses a season the instance has not', () => {
    let err = '';
    try {
      execFileSync(process.execPath, [BIN, 'trigger', '--config', config, '--season', '2019'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      err = String((e as { stderr?: string }).stderr);
    }
    expect(err).toMatch(/no season 2019 in this instance/);
  });
});
