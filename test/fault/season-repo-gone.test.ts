/**
 * One repository holding two seasons (issue 24) breaks, then vanishes: the
 * broken season's config is its own problem (the other season keeps running
 * and both keep their results), and a repository that is gone is tried once
 * per run, reported in both seasons, and costs neither its results.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inSeason } from '../../db/client.ts';
import { listHealth } from '../../db/queries/health.ts';
import { listDayResults } from '../../db/queries/results.ts';
import { bench } from '../../runner/cycle/bench.ts';
import { FakeExecutor } from '../../runner/executor/fake.ts';
import type { BenchSummary } from '../../runner/records.ts';
import { commit, makeRepo, tempDir } from '../helpers/git-repo.ts';
import { quietProgress, withDb, writeInstance } from '../helpers/instance.ts';

const YAML = 'version: 1\nimage: fake/img:1\ncmd: solve %day% %input%\n';
const day = (year: number, sol: string) => ({ [`${year}/1/sol`]: sol, [`${year}/1/input.txt`]: '1\n2\n', [`${year}/1/answers.txt`]: '3\n2\n' });

let base: string;
let config: string;
let repo: { dir: string; url: string };
const executor = new FakeExecutor(() => ({ output: 'Part 1: 3\nPart 2: 2\n', ms: 2 }));

const results = (season: number) => withDb(base, (db) => listDayResults(inSeason(db, season)).map((r) => `${r.day}:${r.status}:${r.version.slice(0, 8)}`));
const health = (season: number, topic: string) => withDb(base, (db) => listHealth(inSeason(db, season)).find((h) => h.day === 0 && h.topic === topic));
const run = async (lines: string[] = []): Promise<BenchSummary> => bench({ config, executor, progress: quietProgress(lines) });

beforeAll(async () => {
  base = tempDir('aocbench-season-fault-');
  repo = makeRepo({ '2023/.aocbench.yaml': YAML, ...day(2023, 'a'), '2024/.aocbench.yaml': YAML, ...day(2024, 'b') }, base);
  config = writeInstance(base, {
    seasons: [{ year: 2023, days: 1 }, { year: 2024, days: 1 }],
    repeat: { runs: 3, warmup: 0 },
    participants: [{ name: 'ada', repo: repo.url, path: '%year%' }],
  });
  await run();
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('a repository of two seasons that breaks', () => {
  it('a broken config in one season stops that season only', async () => {
    const before2024 = results(2024);
    commit(repo.dir, { '2024/.aocbench.yaml': 'version: 1\ncmd: [unclosed\n', ...day(2023, 'a2') });
    const s = await run();
    // 2023's changed day ran; 2024 ran nothing and kept its result.
    expect(s.jobs.map((j) => j.participant)).toEqual(['ada (2023)']);
    expect(health(2024, 'config')?.level).toBe('error');
    expect(health(2023, 'config')?.level).toBe('ok');
    expect(results(2024)).toEqual(before2024);
    expect(results(2023)).toHaveLength(1);
  });

  it('a repository that is gone is tried once, reported in both seasons, and both keep their results', async () => {
    const kept = [results(2023), results(2024)];
    rmSync(repo.dir, { recursive: true, force: true });
    const lines: string[] = [];
    const s = await run(lines);
    expect(s.jobs).toEqual([]);
    expect(lines.filter((l) => l.startsWith('ada: updating')).length).toBe(1);
    for (const season of [2023, 2024]) expect(health(season, 'repo')?.message).toMatch(/git .* failed; results from the last good update are kept/);
    expect([results(2023), results(2024)]).toEqual(kept);
  });
});
