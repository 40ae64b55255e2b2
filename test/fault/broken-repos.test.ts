/**
 * Issue 19, "one broken repo never stops the board": a participant whose
 * Dockerfile fails and one whose image does not exist, beside honest ones,
 * through the command line and through a daemon cycle. Each broken one is that
 * participant's `error`, with the reason where people look; the others run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listHealth } from '../../db/queries/health.ts';
import { listJobs } from '../../db/queries/jobs.ts';
import { listParticipants } from '../../db/queries/participants.ts';
import { resultsJson } from '../../runner/report/results-json.ts';
import { brokenSeason } from '../helpers/broken-season.ts';
import { tempDir } from '../helpers/git-repo.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');

let base: string;
let config: string;

function season(dir: string): string {
  return writeInstance(dir, { year: 2024, days: 1, repeat: { runs: 2, warmup: 0 }, participants: brokenSeason(dir).participants });
}

const statuses = (dir: string) =>
  withDb(dir, (db) => Object.fromEntries(resultsJson(db).participants.map((p) => [p.name, p.days['1']?.status ?? null])));

function healthOf(dir: string, name: string) {
  return withDb(dir, (db) => {
    const p = listParticipants(db).find((x) => x.name === name)!;
    return listHealth(db).filter((h) => h.participantId === p.id);
  });
}

describe('broken repositories beside honest ones', () => {
  beforeAll(() => {
    base = tempDir('aocbench-fault-');
    config = season(base);
  });

  it('aocbench bench: the honest participant is correct, the broken ones are their own error, exit 0 or 1', () => {
    const r = spawnSync(process.execPath, [BIN, 'bench', '--config', config], { encoding: 'utf8', timeout: 180_000 });
    expect(r.stderr).not.toMatch(/database is locked/);
    expect([0, 1]).toContain(r.status);
    expect(statuses(base)).toMatchObject({ Honest: 'correct', Nonroot: 'correct', Failing: null, Missing: null });
    const failing = healthOf(base, 'Failing').find((h) => h.topic === 'image')!;
    expect(failing.level).toBe('error');
    expect(failing.detail).toMatch(/building the broken image/);
    const missing = healthOf(base, 'Missing').find((h) => h.topic === 'image')!;
    expect(missing.level).toBe('error');
    expect(missing.message + (missing.detail ?? '')).toMatch(/nosuch:1/);
    // The summary names both, so the operator sees them without opening the site.
    expect(r.stdout + r.stderr).toMatch(/Failing/);
    expect(r.stdout + r.stderr).toMatch(/Missing/);
  });

  it('a second bench still runs nothing for the honest one and keeps the reasons', () => {
    const r = spawnSync(process.execPath, [BIN, 'bench', '--config', config], { encoding: 'utf8', timeout: 180_000 });
    expect(r.stderr).not.toMatch(/database is locked/);
    expect([0, 1]).toContain(r.status);
    expect(statuses(base)).toMatchObject({ Honest: 'correct' });
    expect(healthOf(base, 'Failing').find((h) => h.topic === 'image')?.level).toBe('error');
  });

  it('a daemon cycle: the same verdicts, and the cycle job ends done', async () => {
    const dir = tempDir('aocbench-fault-');
    const cfg = season(dir);
    const daemon = spawn(process.execPath, [BIN, 'daemon', '--config', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    daemon.stderr!.on('data', (d) => (err += d));
    try {
      const end = Date.now() + 120_000;
      let job = null;
      while (Date.now() < end) {
        job = withDb(dir, (db) => listJobs(db).find((j) => j.kind === 'cycle' && j.finishedAt));
        if (job) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(job, err).toMatchObject({ status: 'done' });
      expect(statuses(dir)).toMatchObject({ Honest: 'correct', Nonroot: 'correct' });
      expect(healthOf(dir, 'Failing').find((h) => h.topic === 'image')?.detail).toMatch(/building the broken image/);
      expect(healthOf(dir, 'Missing').find((h) => h.topic === 'image')?.level).toBe('error');
    } finally {
      daemon.kill('SIGTERM');
      await new Promise((r) => (daemon.exitCode !== null ? r(null) : daemon.once('exit', r)));
    }
  });
});
