/**
 * A season's folder (`path: "%year%"`, issue 24) is the participant's whole
 * repository for that season: nothing outside it reaches the sandbox, and a
 * folder that is really a committed link (to /etc, to the repository's root)
 * is no folder: the season is a config error, never the link's target.
 */
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inSeason } from '../../db/client.ts';
import { listHealth } from '../../db/queries/health.ts';
import { listDayResults } from '../../db/queries/results.ts';
import { bench } from '../../runner/cycle/bench.ts';
import { FakeExecutor, type FakeCall } from '../../runner/executor/fake.ts';
import { git, makeRepo, tempDir } from '../helpers/git-repo.ts';
import { quietProgress, withDb, writeInstance } from '../helpers/instance.ts';

const YAML = 'version: 1\nimage: fake/img:1\ncmd: solve %day% %input%\n';
const seen: string[][] = [];
const program = (call: FakeCall) => {
  seen.push([...call.files.keys()]);
  return { output: 'Part 1: 3\nPart 2: 2\n', ms: 1 };
};

let base: string;
let executor: FakeExecutor;

beforeAll(async () => {
  base = tempDir('aocbench-season-folder-');
  const repo = makeRepo({
    'secret.txt': 'not for the 2023 sandbox\n',
    '2023/.aocbench.yaml': YAML, '2023/1/sol': 'x', '2023/1/input.txt': '1\n2\n', '2023/1/answers.txt': '3\n2\n',
    '2025/.aocbench.yaml': YAML, '2025/1/sol': 'x',
  }, base);
  // 2024 is a committed link to /etc, 2025's day folder a link back to the repository's root.
  symlinkSync('/etc', join(repo.dir, '2024'));
  rmSync(join(repo.dir, '2025', '1'), { recursive: true });
  symlinkSync('../..', join(repo.dir, '2025', '1'));
  git(repo.dir, 'add', '-A');
  git(repo.dir, 'commit', '-q', '-m', 'links');
  const config = writeInstance(base, {
    seasons: [{ year: 2023, days: 1 }, { year: 2024, days: 1 }, { year: 2025, days: 1 }],
    repeat: { runs: 3, warmup: 0 },
    participants: [{ name: 'eve', repo: repo.url, path: '%year%' }],
  });
  executor = new FakeExecutor(program);
  await bench({ config, executor, progress: quietProgress() });
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe("a season's folder", () => {
  it('is all the sandbox gets: not the rest of the repository', () => {
    const files = seen.flat();
    expect(files.length).toBeGreaterThan(0);
    expect(files.some((f) => f.endsWith('/1/sol'))).toBe(true);
    expect(files.some((f) => /secret|2024|etc\/|passwd/.test(f))).toBe(false);
    expect(withDb(base, (db) => listDayResults(inSeason(db, 2023)).map((r) => r.status))).toEqual(['correct']);
  });

  it('that is a link is a config error, and its target is never read', () => {
    const health = withDb(base, (db) => listHealth(inSeason(db, 2024)));
    expect(health.find((h) => h.topic === 'config')?.message).toMatch(/The folder 2024 .* has no committed files/);
    expect(withDb(base, (db) => listDayResults(inSeason(db, 2024)))).toEqual([]);
    // A day folder linking out of the season's folder (2025/1 -> ../..) runs nothing: it has no input of its own; nothing outside reached a sandbox.
    expect(withDb(base, (db) => listDayResults(inSeason(db, 2025)))).toEqual([]);
    expect(withDb(base, (db) => listHealth(inSeason(db, 2025)).find((h) => h.day === 1)?.message)).toBeTruthy();
    expect(executor.sessions.map((s) => s.name)).toEqual(['aocbench-eve-d1']);
  });
});
