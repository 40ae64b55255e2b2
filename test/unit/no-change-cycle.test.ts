/**
 * Issue 25's fast path, through the fake executor with real git repositories
 * and a real SQLite file: a cycle in which nothing changed asks each remote
 * for its head (one git process) and starts no other git process; a push
 * re-runs only the pushed participant's changed day; an image that changed
 * re-plans that participant; --force still runs everything.
 * Every git the runner starts is counted by a wrapper first on PATH.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bench } from '../../runner/cycle/bench.ts';
import { FakeExecutor } from '../../runner/executor/fake.ts';
import type { ImageRequest } from '../../runner/executor/types.ts';
import { commit, makeRepo, tempDir } from '../helpers/git-repo.ts';
import { listHealth } from '../../db/queries/health.ts';
import { quietProgress, withDb, writeInstance } from '../helpers/instance.ts';

const INPUT = '1\n2\n3\n';
const ANSWERS = '6\n3\n';

let base: string;
let config: string;
let log: string;
let alice: { dir: string; url: string };
let bob: { dir: string; url: string };
let executor: FakeExecutor;
const savedPath = process.env.PATH;

/** The git commands started since the last call (one line each: its arguments). */
function gitCalls(): string[] {
  const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  writeFileSync(log, '');
  return lines;
}

const ran = () => executor.sessions.map((s) => s.name);
const cycle = async (force = false) => {
  const before = executor.sessions.length;
  const summary = await bench({ config, executor, force, progress: quietProgress() });
  return { summary, sessions: ran().slice(before) };
};

beforeAll(async () => {
  base = tempDir();
  const days = (files: (d: number) => Record<string, string>) => Object.assign({}, ...[1, 2].map(files));
  const repo = (cmd: string) => makeRepo({ '.aocbench.yaml': `version: 1\nimage: fake/img:1\ncmd: ${cmd} %day% %input%\n`, ...days((d) => ({ [`${d}/sol`]: 'x', [`${d}/input.txt`]: INPUT, [`${d}/answers.txt`]: ANSWERS })) }, base);
  alice = repo('solve');
  bob = repo('bobsolve');
  config = writeInstance(base, { year: 2024, days: 2, repeat: { runs: 3, warmup: 1, timeoutSec: 30 }, participants: [{ name: 'alice', repo: alice.url }, { name: 'bob', repo: bob.url }] });
  executor = new FakeExecutor(() => ({ output: 'Part 1: 6\nPart 2: 3\n', ms: 5 }));
  const wrapper = join(base, 'bin');
  mkdirSync(wrapper);
  log = join(base, 'git.log');
  writeFileSync(log, '');
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(join(wrapper, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(join(wrapper, 'git'), 0o755);
  process.env.PATH = `${wrapper}:${savedPath}`;
  await cycle();
  // The first cycle after the clone says "updated" where the clone said "cloned": the rows measured are a cycle later.
  await cycle();
  gitCalls();
});

afterAll(() => {
  process.env.PATH = savedPath;
});

describe('a cycle in which nothing changed', () => {
  it('asks each remote for its head and starts no other git process; nothing runs, no participant row is rewritten', async () => {
    const health = () => withDb(base, (db) => listHealth(db).map((h) => `${h.participantId}/${h.day}/${h.topic} ${h.level} ${h.at}`));
    // Every per-participant row with its timestamps: the cycle's only write is its own row in `cycles`.
    const rows = () => withDb(base, (db) => ['participants', 'repo_updates', 'images', 'day_results'].map((t) => db.$client.prepare(`SELECT * FROM ${t} ORDER BY 1`).all()));
    const before = health();
    const beforeRows = rows();
    const { summary, sessions } = await cycle();
    expect(health()).toEqual(before);
    expect(rows()).toEqual(beforeRows);
    expect(sessions).toEqual([]);
    expect(summary.skipped).toBe(4);
    const calls = gitCalls();
    // Per participant one git process, in the file:// remote itself (where ls-remote would start a shell and upload-pack too).
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => / rev-parse --verify --end-of-options HEAD\^\{commit\}$/.test(c))).toBe(true);
    expect(calls.map((c) => c.split(' -C ')[1].split(' ')[0]).sort()).toEqual([alice.dir, bob.dir].sort());
  });

  it('a push re-runs only the pushed participant\'s changed day, fetching only its repository', async () => {
    commit(alice.dir, { '2/sol': 'changed' });
    const { sessions } = await cycle();
    expect(sessions).toEqual(['aocbench-alice-d2']);
    const fetches = gitCalls().filter((c) => / fetch /.test(c));
    expect(fetches.length).toBeGreaterThan(0);
    expect(fetches.every((c) => c.includes(alice.dir))).toBe(true);
    expect((await cycle()).sessions).toEqual([]);
    expect(gitCalls().filter((c) => / fetch /.test(c))).toEqual([]);
  });

  it('an image that changed re-plans its participant, with no fetch', async () => {
    const prepare = executor.prepareImage.bind(executor);
    executor.prepareImage = async (req: ImageRequest) => {
      const r = await prepare(req);
      return req.kind === 'image' && req.ref === 'fake/img:1' ? { ...r, imageId: 'fake:rebuilt' } : r;
    };
    const { sessions } = await cycle();
    expect(sessions.sort()).toEqual(['aocbench-alice-d1', 'aocbench-alice-d2', 'aocbench-bob-d1', 'aocbench-bob-d2']);
    expect(gitCalls().filter((c) => / fetch /.test(c))).toEqual([]);
  });

  it('a changed instance config is planned from the cached content: a new day count runs the new day', async () => {
    commit(bob.dir, { '3/sol': 'x', '3/input.txt': INPUT, '3/answers.txt': ANSWERS });
    gitCalls();
    writeInstance(base, { year: 2024, days: 3, repeat: { runs: 3, warmup: 1, timeoutSec: 30 }, participants: [{ name: 'alice', repo: alice.url }, { name: 'bob', repo: bob.url }] });
    const { sessions } = await cycle();
    expect(sessions).toEqual(['aocbench-bob-d3']);
  });

  it('--force runs everything', async () => {
    const { sessions } = await cycle(true);
    expect(sessions).toHaveLength(5);
  });
});
