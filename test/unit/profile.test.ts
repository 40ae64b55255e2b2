/**
 * The wall-time breakdown of bench and matrix: every phase a run goes through
 * is in the summary's profile, the foreground phases add up to the wall time,
 * and the table `--verbose` prints names them with their share and count.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bench } from '../../runner/cycle/bench.ts';
import type { BenchSummary } from '../../runner/records.ts';
import { FakeExecutor } from '../../runner/executor/fake.ts';
import { matrix } from '../../runner/cycle/matrix.ts';
import type { MatrixSummary } from '../../runner/records.ts';
import { formatProfile, Profile, type ProfileReport } from '../../runner/report/profile.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { quietProgress, writeInstance } from '../helpers/instance.ts';

const phases = (r: ProfileReport) => r.foreground.map((p) => p.phase);
const count = (r: ProfileReport, phase: string, overlapped = false) => (overlapped ? r.overlapped : r.foreground).find((p) => p.phase === phase)?.count ?? 0;

let benchRun: BenchSummary;
let matrixRun: MatrixSummary;

beforeAll(async () => {
  const base = tempDir();
  const files = Object.assign({}, ...[1, 2].map((d) => ({ [`${d}/sol`]: 'x', [`${d}/input.txt`]: '1\n2\n', [`${d}/answers.txt`]: '3\n2\n' })));
  const repo = makeRepo({ '.aocbench.yaml': 'version: 1\nimage: fake/img:1\nrunonce: build %day%\ncmd: solve %day% %input%\n', ...files }, base);
  const config = writeInstance(base, { year: 2024, days: 2, repeat: { runs: 3, warmup: 1 }, participants: [{ name: 'ada', repo: repo.url }] });
  const executor = new FakeExecutor(({ argv, files: f }) => {
    if (argv[0] === 'build') return { output: 'built\n', ms: 1 };
    const nums = (f.get(argv[2]) ?? '').split('\n').filter(Boolean).map(Number);
    return { output: `${nums.reduce((a, b) => a + b, 0)}\n${nums.length}\n`, ms: 2 };
  });
  benchRun = await bench({ config, executor, progress: quietProgress(), profile: new Profile(1234) });
  matrixRun = await matrix({ config, executor, progress: quietProgress(), noUpdate: true });
});

describe('the wall-time profile', () => {
  it('of a bench run has every phase, counted, and adds up to the wall time', () => {
    const p = benchRun.profile;
    expect(benchRun.jobs.map((j) => j.outcome?.status)).toEqual(['correct', 'correct']);
    expect(phases(p)).toEqual(expect.arrayContaining(['process start', 'open', 'sync', 'plan', 'image', 'sandbox start', 'runonce', 'untimed', 'wait for untimed work', 'timed runs', 'disk check', 'storage', 'close', 'other']));
    expect(p.foreground.find((x) => x.phase === 'process start')?.ms).toBe(1234);
    expect(count(p, 'sandbox start')).toBe(2);
    expect(count(p, 'timed runs')).toBe(2);
    // runonce, then after it the disk check; then the input, the state's record (mark) and the check run: three untimed calls a day.
    expect(count(p, 'runonce')).toBe(2);
    expect(count(p, 'untimed')).toBe(6);
    expect(count(p, 'disk check')).toBe(4);
    expect(count(p, 'sync', true)).toBe(1);
    expect(count(p, 'load', true)).toBe(1);
    expect(count(p, 'close', true)).toBe(2);
    const sum = p.foreground.reduce((a, x) => a + x.ms, 0);
    expect(sum).toBeCloseTo(p.wallMs, 6);
    expect(p.wallMs).toBeGreaterThan(1234);
  });

  it('of a matrix run too', () => {
    const p = matrixRun.profile;
    expect(matrixRun.cells.length).toBeGreaterThan(0);
    expect(phases(p)).toEqual(expect.arrayContaining(['open', 'sync', 'plan', 'image', 'sandbox start', 'runonce', 'untimed', 'storage', 'other']));
    expect(phases(p)).not.toContain('timed runs');
    expect(count(p, 'sandbox start')).toBe(matrixRun.containers);
  });

  it('prints as a table of phase, seconds, share of the wall and count', () => {
    const out = formatProfile(benchRun.profile);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^phase\s+total s\s+% wall\s+count$/);
    expect(out).toMatch(/^process start\s+1\.234\s+\d+\.\d%\s+1$/m);
    expect(out).toMatch(/^timed runs\s+\d+\.\d{3}\s+\d+\.\d%\s+2$/m);
    expect(out).toMatch(/^wall\s+\d+\.\d{3}\s+100\.0%$/m);
    expect(out).toMatch(/^overlapped/m);
    expect(out).toMatch(/^ {2}close\s+\d+\.\d{3}\s+\d+\.\d%\s+2$/m);
  });

  it('counts a phase that throws, and nothing it did not time', async () => {
    const p = new Profile();
    await expect(p.time('sync', async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(p.timeSync('storage', () => 7)).toBe(7);
    const r = p.report();
    expect(r.foreground.map((x) => [x.phase, x.count])).toEqual([['sync', 1], ['storage', 1], ['other', 0]]);
    expect(r.overlapped).toEqual([]);
  });
});
