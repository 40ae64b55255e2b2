/**
 * The whole bench cycle (sync, plan, the day's steps, verdicts, storage)
 * through the fake executor: real git repositories and a real SQLite file,
 * no Docker. Fake commands make every time exact, so medians are asserted exactly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { listParticipants } from '../../db/queries/participants.ts';
import { listDayResults, type DayResultRow } from '../../db/queries/results.ts';
import { bench } from '../../runner/cycle/bench.ts';
import { FakeExecutor, type FakeCall, type FakeRun } from '../../runner/executor/fake.ts';
import { commit, makeRepo, tempDir } from '../helpers/git-repo.ts';
import { quietProgress, withDb, writeInstance } from '../helpers/instance.ts';

const INPUT = '1\n2\n3\n';
const ANSWERS = '6\n3\n';

/** `solve DAY INPUT` (alice) and `bobsolve DAY INPUT`: sum and count of the input's lines. */
function program(call: FakeCall): FakeRun {
  const [cmd, day, input] = call.argv;
  const nums = (call.files.get(input) ?? '').split('\n').filter(Boolean).map(Number);
  const right = `Part 1: ${nums.reduce((a, b) => a + b, 0)}\nPart 2: ${nums.length}\n`;
  if (cmd === 'solve') return { output: right, ms: day === '3' ? 1500 : 10 * Number(day) + (call.nth % 3) };
  if (cmd === 'bobsolve') {
    if (day === '1') return { output: 'Part 1: 7\nPart 2: 3\n', ms: 1 };
    if (day === '2') return { output: '', ms: 60_000 };
    return { output: call.nth === 0 ? right : '', ms: call.nth === 0 ? 50 : 0.01 }; // works only when first watched
  }
  return { output: `${cmd}: not found\n`, code: 127, ms: 1 };
}

let base: string;
let config: string;
let alice: { dir: string; url: string };
let executor: FakeExecutor;

const results = (): Record<string, Record<number, DayResultRow>> =>
  withDb(base, (db) => {
    const names = new Map(listParticipants(db).map((p) => [p.id, p.name]));
    const out: Record<string, Record<number, DayResultRow>> = {};
    for (const r of listDayResults(db)) (out[names.get(r.participantId)!] ??= {})[r.day] = r;
    return out;
  });

beforeAll(async () => {
  base = tempDir();
  const days = (files: (d: number) => Record<string, string>) => Object.assign({}, ...[1, 2, 3].map(files));
  alice = makeRepo({ '.aocbench.yaml': 'version: 1\nimage: fake/img:1\ncmd: solve %day% %input%\n', ...days((d) => ({ [`${d}/sol`]: 'x', [`${d}/input.txt`]: INPUT, [`${d}/answers.txt`]: ANSWERS })) }, base);
  const bob = makeRepo({ '.aocbench.yaml': 'version: 1\nimage: fake/img:1\ncmd: bobsolve %day% %input%\n', ...days((d) => ({ [`${d}/sol`]: 'y' })) }, base);
  config = writeInstance(base, {
    year: 2024, days: 3, repeat: { runs: 5, warmup: 1, timeoutSec: 30, longAfterSec: 1, longRuns: 3 },
    participants: [{ name: 'alice', repo: alice.url }, { name: 'bob', repo: bob.url }],
  });
  executor = new FakeExecutor(program);
  await bench({ config, executor, progress: quietProgress() });
});

describe('a bench cycle through the fake executor', () => {
  it('runs every day once, each in its own session, on the shared input', () => {
    expect(executor.sessions.map((s) => s.name)).toEqual(['aocbench-alice-d1', 'aocbench-alice-d2', 'aocbench-alice-d3', 'aocbench-bob-d1', 'aocbench-bob-d2', 'aocbench-bob-d3']);
    expect(results().bob[1].inputSource).toBe('alice');
  });

  it('stores exact samples and medians, and cuts the runs of a slow day', () => {
    const a = results().alice;
    expect(a[1]).toMatchObject({ status: 'correct', medianMs: 11, sampleCount: 5 });
    expect(JSON.parse(a[1].samples)).toEqual([12, 10, 11, 12, 10]); // the check run (10) and the warm-up (11) come first
    expect(a[2]).toMatchObject({ status: 'correct', medianMs: 21 });
    expect(a[3]).toMatchObject({ status: 'correct', medianMs: 1500, sampleCount: 3 });
  });

  it('gives each failure its verdict, and no time to runs that print something else', () => {
    const b = results().bob;
    expect(b[1]).toMatchObject({ status: 'wrong', failedStep: 'check', medianMs: null });
    expect(b[2]).toMatchObject({ status: 'timeout', failedStep: 'check', medianMs: null });
    expect(b[3]).toMatchObject({ status: 'error', failedStep: 'timing', medianMs: null });
    expect(b[3].message).toMatch(/output changed between runs/);
  });

  it('starts no session when nothing changed, and re-runs only the day whose code changed', async () => {
    const before = executor.sessions.length;
    expect((await bench({ config, executor, progress: quietProgress() })).jobs).toEqual([]);
    expect(executor.sessions.length).toBe(before);
    commit(alice.dir, { '2/sol': 'x2' });
    const s = await bench({ config, executor, progress: quietProgress() });
    expect(s.jobs.map((j) => `${j.participant}/${j.day}:${j.reason}`)).toEqual(['alice/2:code changed']);
    // The summary counts the sandboxes the executor started.
    expect(s.containers).toBe(executor.sessions.length - before);
    expect(s.containers).toBe(1);
  });
});
