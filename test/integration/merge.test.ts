/**
 * `aocbench merge` (issue 24): two single-year instances, each benchmarked
 * and matrix-run with real git repositories and real SQLite files (the fake
 * executor stands in for the sandboxes), merged into one instance with
 * seasons. Each season then shows what its source showed, the next bench and
 * matrix start no sandbox, the sources are unchanged, and what would make a
 * merge unsafe is refused with nothing written.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dbPath, inSeason, openDb, type Db } from '../../db/client.ts';
import { addCustomInput, listCustomInputs, listMatrixInputs } from '../../db/queries/matrix.ts';
import { parseInstanceConfig, type ParticipantEntry } from '../../lib/instance-config.ts';
import { cloneName, seasonView } from '../../lib/seasons.ts';
import { bench } from '../../runner/cycle/bench.ts';
import { matrix } from '../../runner/cycle/matrix.ts';
import { merge } from '../../runner/commands/merge.ts';
import { FakeExecutor } from '../../runner/executor/fake.ts';
import { resultsJson } from '../../runner/report/results-json.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { quietProgress, writeInstance } from '../helpers/instance.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const INPUT = '1\n2\n3\n';
const ANSWERS = '6\n3\n';
const REPEAT = { runs: 3, warmup: 1, timeoutSec: 30 };

let base: string;
let executor: FakeExecutor;
const src: Record<number, { dir: string; config: string }> = {};
let out: string;
let mergedData: string;
let cliOutput: string;
let before: Record<number, { fingerprint: string; files: string[]; results: unknown }>;

const repoOf = (cmd: string) => makeRepo({ '.aocbench.yaml': `version: 1\nimage: fake/img:1\ncmd: ${cmd} %day% %input%\n`, ...Object.assign({}, ...[1, 2].map((d) => ({ [`${d}/sol`]: `${cmd} ${d}`, [`${d}/input.txt`]: INPUT, [`${d}/answers.txt`]: ANSWERS }))) }, base);

function readDb<T>(file: string, season: number | null, f: (db: Db) => T): T {
  const db = openDb(file);
  try {
    return f(season === null ? db : inSeason(db, season));
  } finally {
    db.$client.close();
  }
}

const withSourceDb = <T>(year: number, f: (db: Db) => T): T => readDb(dbPath(join(src[year].dir, 'data')), null, f);

/** What the board shows of a season: per participant and day, status, median and number of samples. */
const shown = (db: Db) => resultsJson(db).participants.map((p) => ({ name: p.name, days: Object.fromEntries(Object.entries(p.days).map(([d, r]) => [d, { status: r.status, medianMs: r.medianMs, samples: r.samples, version: r.version }])) }));
const fileHash = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

/** A source as it stands: its database file's bytes, its data dir's listing and what its board shows. */
function sourceState(year: number) {
  const data = join(src[year].dir, 'data');
  return { fingerprint: fileHash(dbPath(data)), files: readdirSync(data).sort(), results: readDb(dbPath(data), null, (db) => ({ board: shown(db), seasons: db.$client.prepare('SELECT season, name FROM participants ORDER BY id').all(), matrix: resultsJson(db).matrix })) };
}

beforeAll(async () => {
  base = tempDir('aocbench-merge-');
  const alice = repoOf('alice');
  const bob2023 = repoOf('bob23');
  const bob2024 = repoOf('bob24');
  executor = new FakeExecutor((call) => ({ output: 'Part 1: 6\nPart 2: 3\n', ms: call.argv[0] === 'alice' ? 4 : 7 }));
  // alice: the same repository in both years; bob: another repository each year (two entries named bob, one per season); 2024 lists bob first.
  const participants: Record<number, unknown[]> = { 2023: [{ name: 'alice', repo: alice.url }, { name: 'bob', repo: bob2023.url }], 2024: [{ name: 'bob', repo: bob2024.url, subheading: 'new repo' }, { name: 'alice', repo: alice.url }] };
  for (const year of [2023, 2024]) {
    const dir = join(base, `i${year}`);
    mkdirSync(dir);
    const config = writeInstance(dir, { year, days: 2, repeat: REPEAT, ...(year === 2024 ? { limits: { memoryMb: 2048 } } : {}), participants: participants[year] });
    src[year] = { dir, config };
    await bench({ config, executor, progress: quietProgress() });
    if (year === 2023) withSourceDb(2023, (db) => addCustomInput(inSeason(db, 2023), { day: 1, name: 'tricky', input: '5\n', part1: '5', part2: '1', submittedBy: 'admin' }));
    await matrix({ config, executor, progress: quietProgress() });
  }
  // 2023's database as aocbench left it before seasons (every row season 0): the merge gives its rows their year, as that instance does on its next open.
  withSourceDb(2023, (db) => {
    for (const t of ['participants', 'matrix_inputs', 'custom_inputs']) db.$client.prepare(`UPDATE ${t} SET season = 0`).run();
  });
  before = { 2023: sourceState(2023), 2024: sourceState(2024) };
  out = join(base, 'merged', 'aocbench.yaml');
  mergedData = join(base, 'merged', 'data');
  const r = spawnSync(process.execPath, [BIN, 'merge', '--out', out, src[2023].config, src[2024].config], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  cliOutput = r.stdout;
});

describe('aocbench merge', () => {
  it('writes a valid config with both seasons, one entry for the participant in both, and one per season for the others', () => {
    const cfg = parseInstanceConfig(readFileSync(out, 'utf8'), out);
    expect(cfg.seasonal).toBe(true);
    expect(cfg.seasons.map((s) => s.year)).toEqual([2024, 2023]);
    expect(cfg.dataDir).toBe(mergedData);
    expect(cfg.seasons.map((s) => s.inputsDir)).toEqual([join(src[2024].dir, 'inputs'), join(src[2023].dir, 'inputs')]);
    // The newest source's instance-wide settings, and the difference said.
    expect(cfg.limits.memoryMb).toBe(2048);
    expect(cliOutput).toMatch(/other values of .*: limits \(2023\)/);
    expect(cfg.participants.map((p) => [p.name, p.seasons ?? 'all'])).toEqual([['bob', [2024]], ['alice', 'all'], ['bob', [2023]]]);
    // Each season sees its source's participants, in its source's order.
    expect(seasonView(cfg, 2023).participants.map((p) => `${p.name} ${p.repo}`)).toEqual(parseInstanceConfig(readFileSync(src[2023].config, 'utf8')).participants.map((p) => `${p.name} ${p.repo}`));
    expect(seasonView(cfg, 2024).participants.map((p) => p.name)).toEqual(['bob', 'alice']);
  });

  it('prints seasons, participants, rows and clones copied, and the next step', () => {
    expect(cliOutput).toMatch(/season 2024 from .*: 2 participant\(s\): bob, alice/);
    expect(cliOutput).toMatch(/season 2023 from .*: 2 participant\(s\): alice, bob/);
    expect(cliOutput).toMatch(/ {2}day_results +4 +4/);
    expect(cliOutput).toMatch(/ {2}custom_inputs +0 +1/);
    expect(cliOutput).toMatch(/Clones copied: 3/);
    expect(cliOutput).toMatch(/shared by 2023/);
    expect(cliOutput).toContain(`aocbench bench --config ${out}`);
  });

  it('each season shows what its source showed: results, matrix, inputs', () => {
    for (const year of [2023, 2024]) {
      const merged = readDb(dbPath(mergedData), year, (db) => ({ board: shown(db), matrix: resultsJson(db).matrix, inputs: listMatrixInputs(db).map((i) => `${i.day}/${i.name}/${i.version}`) }));
      // A source holds one season (2023's rows are still season 0): read unscoped.
      const source = withSourceDb(year, (db) => ({ board: shown(db), matrix: resultsJson(db).matrix, inputs: listMatrixInputs(db).map((i) => `${i.day}/${i.name}/${i.version}`) }));
      expect(merged.board.length).toBe(2);
      expect(merged.board.every((p) => Object.keys(p.days).length === 2)).toBe(true);
      expect(merged).toEqual(source);
      expect(Object.keys(merged.matrix)).toEqual(['1', '2']);
    }
    const custom = readDb(dbPath(mergedData), 2023, (db) => listCustomInputs(db, { includeHidden: true }).map((c) => c.name));
    expect(custom).toEqual(['tricky']);
    expect(readDb(dbPath(mergedData), 2024, (db) => listCustomInputs(db, { includeHidden: true }))).toEqual([]);
  });

  it('copies the clones under the merged names: alice once for both seasons', () => {
    const repos = readdirSync(join(mergedData, 'repos')).sort();
    const cfg = parseInstanceConfig(readFileSync(out, 'utf8'));
    const names = [2023, 2024].flatMap((y) => seasonView(cfg, y).participants.map((p: ParticipantEntry) => p.clone!));
    expect(repos).toEqual([...new Set(names)].sort());
    expect(repos).toHaveLength(3);
    expect(repos).toContain(cloneName('alice', cfg.participants.find((p) => p.name === 'alice')!.repo, undefined, true));
  });

  it('the next bench and matrix on the merged instance run nothing', async () => {
    const sessions = executor.sessions.length;
    const summary = await bench({ config: out, executor, noUpdate: false, progress: quietProgress() });
    expect(summary.jobs).toEqual([]);
    expect(summary.containers).toBe(0);
    expect(summary.skipped).toBe(8);
    const m = await matrix({ config: out, executor, noUpdate: true, progress: quietProgress() });
    expect(m.cells).toEqual([]);
    expect(executor.sessions.length).toBe(sessions);
  });

  it('leaves the sources as they were', () => {
    for (const year of [2023, 2024]) expect(sourceState(year)).toEqual(before[year]);
    // The rows written before seasons are still season 0 in the source; 2024's are 2024's.
    const seasons = (year: number) => withSourceDb(year, (db) => db.$client.prepare('SELECT DISTINCT season FROM participants UNION SELECT DISTINCT season FROM custom_inputs').pluck().all());
    expect(seasons(2023)).toEqual([0]);
    expect(seasons(2024)).toEqual([2024]);
  });

  it('refuses a config with seasons:, the same year twice, an existing output and a data dir with participants, writing nothing', async () => {
    const dir = join(base, 'refused');
    mkdirSync(dir);
    const fresh = join(dir, 'new.yaml');
    const mergedFiles = readdirSync(mergedData).sort();
    const attempt = (configs: string[], o: { out?: string; dataDir?: string } = {}) => merge({ out: o.out ?? fresh, dataDir: o.dataDir ?? join(dir, 'data'), configs });
    await expect(attempt([out, src[2023].config])).rejects.toThrow(/already has seasons:/);
    const again = join(base, 'again2023.yaml');
    writeFileSync(again, readFileSync(src[2023].config, 'utf8').replace(/dataDir: .*/, `dataDir: ${join(base, 'other-data')}`));
    await expect(attempt([src[2023].config, again])).rejects.toThrow(/are both 2023/);
    await expect(attempt([src[2023].config, src[2024].config], { out })).rejects.toThrow(/already exists/);
    await expect(attempt([src[2023].config, src[2024].config], { dataDir: mergedData })).rejects.toThrow(/already holds 4 participant/);
    await expect(attempt([src[2023].config, src[2024].config], { dataDir: join(src[2023].dir, 'data') })).rejects.toThrow(/data dir/);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(base, 'other-data'))).toBe(false);
    expect(readdirSync(mergedData).sort()).toEqual(mergedFiles);
    // A failure midway (a FIFO in a clone: never copied) removes what the merge wrote.
    const fifo = join(src[2023].dir, 'data', 'repos', 'bob', '.git', 'fifo');
    execFileSync('mkfifo', [fifo]);
    try {
      await expect(attempt([src[2023].config, src[2024].config], { out: join(dir, 'sub', 'new.yaml'), dataDir: join(dir, 'sub', 'data') })).rejects.toThrow(/fifo|FIFO|pipe/);
    } finally {
      rmSync(fifo);
    }
    expect(readdirSync(dir)).toEqual([]);
    // The CLI says why and exits 2.
    const r = spawnSync(process.execPath, [BIN, 'merge', '--out', fresh, src[2023].config, src[2023].config], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/aocbench: merge: .* are both 2023/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
