/** Several seasons in one instance config (issue 24): each season's view, the clones they share, and which seasons a run takes. */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { inSeason, openDb, openSeasonDb } from '../../db/client.ts';
import { listParticipants, upsertParticipant } from '../../db/queries/participants.ts';
import { ConfigError, parseInstanceConfig } from '../../lib/instance-config.ts';
import { everySeason, pickSeason, resolveInstance, seasonInputsDir, seasonView } from '../../lib/seasons.ts';
import { seasonsToRun } from '../../runner/cycle/seasons.ts';
import { persistenceVolume } from '../../runner/day/session-spec.ts';
import { instanceLabel } from '../../runner/host/instance-id.ts';
import { measureSettings, settingsHash, withSettings } from '../../runner/queue/job-content.ts';
import { tempDir } from '../helpers/git-repo.ts';

const parse = (cfg: Record<string, unknown>) => parseInstanceConfig(stringify(cfg));
const problems = (cfg: Record<string, unknown>): string[] => {
  try {
    parse(cfg);
    return [];
  } catch (e) {
    return (e as ConfigError).problems;
  }
};

const TWO = {
  seasons: [{ year: 2023 }, { year: 2025, days: 10 }],
  participants: [
    { name: 'Ada', repo: 'https://example.org/ada/aoc.git', path: '%year%' },
    { name: 'Brian', repo: 'https://example.org/brian/aoc-2025.git', seasons: [2025] },
    { name: 'Cleo', repo: 'https://example.org/cleo/aoc.git', branch: 'aoc-%year%' },
    { name: 'Dan', repo: 'https://example.org/dan/aoc.git', seasons: [{ year: 2023, path: 'old' }, { year: 2025, branch: 'main' }] },
  ],
};

describe('seasons in the instance config', () => {
  it('takes seasons: instead of year:, newest first, each with its days and participants', () => {
    const cfg = parse(TWO);
    expect(cfg.seasons.map((s) => s.year)).toEqual([2025, 2023]);
    expect(cfg.year).toBe(2025);
    const y2023 = seasonView(cfg, 2023);
    const y2025 = seasonView(cfg, 2025);
    // 25 days until 2024, 12 from 2025 on; a season's own `days` wins.
    expect([y2023.days, y2025.days]).toEqual([25, 10]);
    expect(y2023.participants.map((p) => p.name)).toEqual(['Ada', 'Cleo', 'Dan']);
    expect(y2025.participants.map((p) => p.name)).toEqual(['Ada', 'Brian', 'Cleo', 'Dan']);
    expect(y2023.participants.find((p) => p.name === 'Ada')!.path).toBe('2023');
    expect(y2025.participants.find((p) => p.name === 'Cleo')!.branch).toBe('aoc-2025');
    expect(y2023.participants.find((p) => p.name === 'Dan')!.path).toBe('old');
    expect(y2025.participants.find((p) => p.name === 'Dan')!.branch).toBe('main');
  });

  it('shares a clone between seasons of one repository and branch, never between others', () => {
    const cfg = parse(TWO);
    const clone = (year: number, name: string) => seasonView(cfg, year).participants.find((p) => p.name === name)!.clone;
    expect(clone(2023, 'Ada')).toBe(clone(2025, 'Ada'));
    expect(clone(2023, 'Cleo')).not.toBe(clone(2025, 'Cleo'));
    expect(clone(2023, 'Ada')).toMatch(/^Ada-[0-9a-f]{10}$/);
    // A single-year instance keeps its clones where they were.
    const one = parse({ year: 2024, participants: [{ name: 'Ada Lovelace', repo: 'https://example.org/a.git' }] });
    expect(seasonView(one, 2024).participants[0].clone).toBe('AdaLovelace');
  });

  it('keeps a config with year: as it was', () => {
    const cfg = parse({ year: 2024, days: 3, participants: [{ name: 'Ada', repo: 'https://example.org/a.git' }] });
    expect(cfg.seasons.map((s) => s.year)).toEqual([2024]);
    expect(cfg.seasonal).toBe(false);
    expect(seasonView(cfg, 2024).days).toBe(3);
    expect(seasonInputsDir(cfg, 2024)).toBe('inputs');
  });

  it('names what is wrong', () => {
    expect(problems({ year: 2024, seasons: [{ year: 2023 }] }).join()).toMatch(/either year: .* or seasons:/);
    expect(problems({ participants: [] }).join()).toMatch(/either year:/);
    expect(problems({ seasons: [{ year: 2023 }, { year: 2023 }] }).join()).toMatch(/each year may be listed once/);
    expect(problems({ seasons: [{ year: 2023 }], participants: [{ name: 'A', repo: 'https://example.org/a.git', path: '../x' }] }).join()).toMatch(/participants\.0\.path.*inside the repository/);
    // Two of one name in one season clash; in different seasons they do not.
    expect(problems({ seasons: [{ year: 2023, participants: [{ name: 'Ada', repo: 'https://example.org/b.git' }] }], participants: [{ name: 'Ada', repo: 'https://example.org/a.git' }] }).join()).toMatch(/clashes .* in season 2023/);
    expect(problems({ seasons: [{ year: 2023, participants: [{ name: 'Ada', repo: 'https://example.org/b.git' }] }, { year: 2024, participants: [{ name: 'Ada', repo: 'https://example.org/c.git' }] }] })).toEqual([]);
  });

  it("gives each season its inputs dir, every season's participants to a run for all, and checks an asked season", () => {
    const cfg = parse({ ...TWO, inputsDir: 'inputs', seasons: [{ year: 2023, inputsDir: '/srv/old' }, { year: 2025 }] });
    expect(seasonInputsDir(cfg, 2023)).toBe('/srv/old');
    expect(seasonInputsDir(cfg, 2025)).toBe('inputs/2025');
    expect(seasonInputsDir(parse({ ...TWO, inputsDir: 'in-%year%' }), 2023)).toBe('in-2023');
    const all = everySeason(cfg);
    // One entry per participant and repository, whichever seasons they are in.
    expect(all.participants.map((p) => p.name)).toEqual(['Ada', 'Brian', 'Cleo', 'Dan']);
    expect(all.days).toBe(25);
    expect([pickSeason(cfg, undefined), pickSeason(cfg, '2023'), pickSeason(cfg, '2019'), pickSeason(cfg, 'x')]).toEqual([2025, 2023, null, null]);
    const inst = resolveInstance(stringify(TWO), 'aocbench.yaml', '/work', 2023);
    expect([inst.season, inst.config.year, inst.dataDir, inst.inputsDir]).toEqual([2023, 2023, '/work/data', '/work/inputs/2023']);
  });
});

describe("a queue worker's season", () => {
  it('works on the season the coordinator sent: its year, participants and folders; a job id differs by season', () => {
    const newest = resolveInstance(stringify(TWO), 'aocbench.yaml', '/work');
    const sent = measureSettings(seasonView(newest.all, 2023));
    const inst = withSettings(newest, sent);
    expect([inst.season, inst.config.year, inst.config.days]).toEqual([2023, 2023, 25]);
    expect(inst.config.participants.map((p) => p.name)).toEqual(['Ada', 'Cleo', 'Dan']);
    expect(inst.config.participants[0].path).toBe('2023');
    expect(settingsHash(sent)).not.toBe(settingsHash(measureSettings(newest.config)));
    // A single-year instance's jobs keep the id they had.
    const one = resolveInstance(stringify({ year: 2024 }), 'aocbench.yaml', '/work');
    expect(measureSettings(one.config).season).toBeUndefined();
  });
});

describe("a participant's persistence dirs", () => {
  it('are their own in each season (one build dir for two years could run one year\'s binary on the other\'s input); a single-year instance keeps its names', () => {
    const dataDir = tempDir();
    const label = instanceLabel(dataDir);
    expect(persistenceVolume(dataDir, 'Ada', '/code/target', null)).toMatch(new RegExp(`^aocbench-${label}-ada-[0-9a-f]{8}$`));
    const y2023 = persistenceVolume(dataDir, 'Ada', '/code/target', 2023);
    const y2024 = persistenceVolume(dataDir, 'Ada', '/code/target', 2024);
    expect(y2023).toMatch(new RegExp(`^aocbench-${label}-ada-2023-[0-9a-f]{8}$`));
    expect(y2024).not.toBe(y2023);
    expect(persistenceVolume(dataDir, 'Ada', '/cache', 2024)).not.toBe(y2024);
  });
});

describe('which seasons a run takes', () => {
  const dir = tempDir('aocbench-seasons-unit-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (cfg: Record<string, unknown>) => {
    const f = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(f, stringify({ dataDir: join(dir, 'data'), ...cfg }));
    return f;
  };

  it('runs every season not frozen, newest first; a frozen one only when asked', () => {
    const f = file({ seasons: [{ year: 2022, frozen: true }, { year: 2023 }, { year: 2024 }] });
    expect(seasonsToRun(f)).toEqual([2024, 2023]);
    expect(seasonsToRun(f, 2022)).toEqual([2022]);
    expect(() => seasonsToRun(f, 2019)).toThrow(/no season 2019 .* 2024, 2023, 2022/);
    expect(() => seasonsToRun(file({ seasons: [{ year: 2022, frozen: true }] }))).toThrow(/every season is frozen/);
  });
});

describe('one database for every season', () => {
  it("keeps rows written before seasons as a single-year config's year, refuses to guess theirs with seasons:, and lists each season apart", () => {
    const dir = tempDir('aocbench-seasons-db-');
    try {
      const legacy = openDb(join(dir, 'aocbench.db'));
      upsertParticipant(legacy, { name: 'Ada', dirName: 'Ada', repo: 'r', position: 0 });
      legacy.$client.close();
      const two = parse({ seasons: [{ year: 2023 }, { year: 2024 }] });
      expect(() => openSeasonDb({ dataDir: dir, season: 2024, config: two })).toThrow(/holds results from before seasons.*--config OLD.yaml.*aocbench merge/);
      // Opened once with the single-year config they were written with, they are that year's; then the seasons config opens it.
      openSeasonDb({ dataDir: dir, season: 2024, config: parse({ year: 2024 }) }).$client.close();
      const y2024 = openSeasonDb({ dataDir: dir, season: 2024, config: two });
      expect(listParticipants(y2024).map((p) => `${p.name}:${p.season}`)).toEqual(['Ada:2024']);
      const y2023 = inSeason(y2024, 2023);
      upsertParticipant(y2023, { name: 'Ada', dirName: 'Ada', repo: 'r', position: 0 });
      upsertParticipant(y2023, { name: 'Brian', dirName: 'Brian', repo: 'r', position: 1 });
      expect(listParticipants(y2023).map((p) => p.name)).toEqual(['Ada', 'Brian']);
      expect(listParticipants(y2024).map((p) => p.name)).toEqual(['Ada']);
      y2024.$client.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
