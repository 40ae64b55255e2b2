/**
 * Issue 19, "a force-push that removes days": the days a participant's
 * repository no longer has keep their results as history, out of points and
 * marked removed (leaderboard, participant page, JSON export); a day pushed
 * back loses the mark. A failed fetch or a broken config removes nothing.
 */
import { spawnSync } from 'node:child_process';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDayResults } from '../../db/queries/results.ts';
import { listParticipantViews, listResultViews } from '../../db/queries/views.ts';
import { buildLeaderboard } from '../../lib/leaderboard.ts';
import { commit, git, makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';
import { startWebServer, type WebServer } from '../helpers/web-server.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const SUM = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';
const day = (n: number) => ({ [`${n}/sol.awk`]: SUM, [`${n}/input.txt`]: `${n}\n1\n`, [`${n}/answers.txt`]: `${n + 1}\n2\n` });

let base: string;
let config: string;
let work: string;
let bare: string;
let withDay3: string;
let server: WebServer;

const bench = () => {
  const r = spawnSync(process.execPath, [BIN, 'bench', '--config', config], { encoding: 'utf8', timeout: 180_000 });
  expect([0, 1], r.stderr).toContain(r.status);
  return r;
};
const forcePush = (rev: string) => {
  git(work, 'reset', '-q', '--hard', rev);
  git(work, 'push', '-q', '--force', bare, 'HEAD:main');
};
const day3 = () => withDb(base, (db) => listDayResults(db).find((r) => r.day === 3)!);
const points = () =>
  withDb(base, (db) => {
    const ps = listParticipantViews(db);
    return buildLeaderboard({ participants: ps, results: listResultViews(db), history: [], method: 'median', podium: true, year: 2024 }).points.get(ps[0].id);
  });

beforeAll(async () => {
  base = tempDir('aocbench-fault-');
  const repo = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`, ...day(1), ...day(2) }, base);
  work = repo.dir;
  withDay3 = commit(work, day(3), 'day 3');
  bare = join(base, 'origin.git');
  git(base, 'clone', '-q', '--bare', work, bare);
  config = writeInstance(base, { year: 2024, days: 3, podium: true, repeat: { runs: 2, warmup: 0 }, participants: [{ name: 'Forcer', repo: `file://${bare}`, branch: 'main' }] });
  bench();
  server = await startWebServer(config);
}, 240_000);

afterAll(async () => server?.stop());

describe('a force-push that removes a day', () => {
  it('keeps the removed day as history, marked and out of points', async () => {
    expect(day3()).toMatchObject({ status: 'correct', removedAt: null });
    // One participant: gold on every day.
    expect(points()).toBe(12);
    const before = day3();
    forcePush('HEAD~1');
    const r = bench();
    expect(r.stderr).toMatch(/Forcer: day 3 gone from the repository/);
    const after = day3();
    // The row is the same result, not re-run and not deleted, with the mark.
    expect(after).toMatchObject({ status: 'correct', runAt: before.runAt, medianMs: before.medianMs });
    expect(after.removedAt).toBeGreaterThan(before.runAt);
    expect(points()).toBe(8);
    expect(withDb(base, (db) => db.$client.pragma('integrity_check', { simple: true }))).toBe('ok');

    const html = await (await fetch(`${server.url}/`)).text();
    expect(html).toMatch(/<td class='removed h' data-p=\d+ title='removed from the repository[^']*'>removed<\/td>/);
    expect(html).toMatch(/data-testid=points><th class=day>Points<\/th><td[^>]*>8<\/td>/);
    const page = await (await fetch(`${server.url}/participants/Forcer`)).text();
    expect(page).toContain('data-testid="removed-mark"');
    const json = (await (await fetch(`${server.url}/api/results.json`)).json()) as { participants: Array<{ days: Record<string, { removed: boolean; status: string }> }> };
    expect(json.participants[0].days['3']).toMatchObject({ status: 'correct', removed: true });
    expect(json.participants[0].days['2']).toMatchObject({ removed: false });
  });

  it('a failed fetch or a broken config marks nothing', () => {
    forcePush(withDay3);
    commit(work, { '2': null, '3': null, '.aocbench.yaml': 'version: 1\ncmd: [unclosed\n' }, 'broken config, days gone');
    git(work, 'push', '-q', '--force', bare, 'HEAD:main');
    bench();
    // The config does not load: the runner cannot tell which days exist, and day 3 is back in the tree anyway.
    expect(withDb(base, (db) => listDayResults(db).map((x) => [x.day, x.removedAt === null]))).toEqual([[1, true], [2, true], [3, false]]);
    renameSync(bare, `${bare}.away`);
    try {
      bench();
      expect(withDb(base, (db) => listDayResults(db).filter((x) => x.removedAt !== null).map((x) => x.day))).toEqual([3]);
    } finally {
      renameSync(`${bare}.away`, bare);
    }
  });

  it('a day pushed back loses the mark and counts again', async () => {
    forcePush(withDay3);
    bench();
    expect(day3()).toMatchObject({ status: 'correct', removedAt: null });
    expect(points()).toBe(12);
    const json = (await (await fetch(`${server.url}/api/results.json`)).json()) as { participants: Array<{ days: Record<string, { removed: boolean }> }> };
    expect(json.participants[0].days['3'].removed).toBe(false);
  });
});
