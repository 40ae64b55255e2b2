import { describe, expect, it } from 'vitest';
import { anonymise, buildLeaderboard, filterByLanguage, type LbResult } from '../../lib/leaderboard.ts';
import { aocbenchTime, timesExport } from '../../lib/export.ts';
import { repoFileUrl, repoWebUrl } from '../../lib/repo-links.ts';

const P = (id: number, name: string, language: string | null = 'rust') => ({ id, name, language, subheading: null, repo: `https://github.com/x/${name}`, branch: null });
const R = (participantId: number, day: number, medianMs: number | null, status = 'correct', minMs = medianMs): LbResult => ({
  participantId, day, status, medianMs, meanMs: medianMs, minMs, maxMs: medianMs, ciLowMs: medianMs, ciHighMs: medianMs, samples: 20, runAt: 1, version: 'v',
});

describe('leaderboard grid', () => {
  const participants = [P(1, 'a'), P(2, 'b'), P(3, 'c', 'python')];
  const results = [R(1, 1, 10), R(2, 1, 10), R(3, 1, 30), R(1, 2, 5, 'correct', 1), R(2, 2, 4), R(3, 2, null, 'wrong')];

  it('medals, points and totals by the AoCBench rules', () => {
    const lb = buildLeaderboard({ participants, results, history: [], method: 'median', podium: true, year: 2025 });
    expect(lb.rows.map((r) => r.day)).toEqual([1, 2]);
    expect(lb.rows[0].cells.map((c) => c.medal)).toEqual(['gold', 'gold', 'bronze']);
    expect(lb.rows[1].cells.map((c) => c.medal)).toEqual(['silver', 'gold', null]);
    expect(lb.rows[1].cells[2]).toMatchObject({ status: 'wrong', value: null });
    expect([...lb.points]).toEqual([[1, 7], [2, 8], [3, 2]]);
    expect(lb.complete).toEqual(new Set([1, 2]));
    expect(lb.pointsMedals.get(2)).toBe('gold');
    expect(lb.pointsMedals.has(3)).toBe(false);
  });

  it('the statistic changes the podium: min instead of median', () => {
    const lb = buildLeaderboard({ participants, results, history: [], method: 'min', podium: true, year: 2025 });
    expect(lb.rows[1].cells[0]).toMatchObject({ value: 1, medal: 'gold' });
  });

  it('without podium highlights the fastest only', () => {
    const lb = buildLeaderboard({ participants, results, history: [], method: 'median', podium: false, year: 2025 });
    expect(lb.rows[0].cells.map((c) => c.best)).toEqual([true, true, false]);
    expect(lb.rows[0].cells.every((c) => c.medal === null)).toBe(true);
  });

  it('links each cell to the day in the repo and lists the history', () => {
    const lb = buildLeaderboard({ participants, results, history: [{ ...R(1, 1, 12), runAt: 0, version: 'old' }], method: 'median', podium: true, year: 2025 });
    expect(lb.rows[0].cells[0].codeUrl).toBe('https://github.com/x/a/tree/HEAD/1');
    expect(lb.rows[0].cells[0].history).toEqual([{ runAt: 0, version: 'old', status: 'correct', value: 12 }]);
  });

  it('filters by language and anonymises', () => {
    expect(filterByLanguage(participants, ['python']).map((p) => p.name)).toEqual(['c']);
    expect(filterByLanguage(participants, ['!python']).map((p) => p.name)).toEqual(['a', 'b']);
    expect(filterByLanguage([...participants, P(4, 'd', null)], ['rust']).map((p) => p.name)).toEqual(['a', 'b']);
    expect(anonymise(participants, true).map((p) => p.name)).toEqual(['Participant 1', 'Participant 2', 'Participant 3']);
  });
});

describe('repo links', () => {
  it('turns clone URLs into browser links', () => {
    expect(repoWebUrl('git@github.com:ShaneMcC/aoc-2025.git')).toBe('https://github.com/ShaneMcC/aoc-2025');
    expect(repoWebUrl('ssh://git@gitlab.com/a/b.git')).toBe('https://gitlab.com/a/b');
    expect(repoWebUrl('file:///tmp/x')).toBeNull();
    expect(repoFileUrl('https://gitlab.com/a/b', 'main', './src/')).toBe('https://gitlab.com/a/b/-/tree/main/src');
    expect(repoFileUrl('https://git.example.org/a/b', null, 'x.rs')).toBe('https://git.example.org/a/b/src/HEAD/x.rs');
  });
});

describe('exports', () => {
  it('writes AoCBench time strings', () => {
    expect(aocbenchTime(12.5)).toBe('0m0.0125s');
    expect(aocbenchTime(61_000)).toBe('1m1.0s');
  });
  it('times.json has AoCBench stats per day', () => {
    const t = timesExport(
      [{ id: 1, name: 'A b', dirName: 'Ab', repo: '', branch: null, subheading: null, language: null }],
      [{ participantId: 1, day: 3, status: 'correct', samples: '[1,2,3]', medianMs: 2, meanMs: 2, minMs: 1, maxMs: 3, stddevMs: 1, ciLowMs: 1, ciHighMs: 3, version: 'v', runAt: 0, inputSource: null }],
    );
    expect(t.Ab.days['3']).toMatchObject({ times: [1, 2, 3], min: 1, max: 3, median: 2, mean: 2 });
    expect(t.Ab.days['3'].stddev).toBeCloseTo(Math.sqrt(2 / 3), 6);
  });
});

describe('leaderboard rules people can trust', () => {
  it('a participant with a failed day wins no Runtime medal, even on a day where nobody has a time', () => {
    const ps = [P(1, 'fast'), P(2, 'steady')];
    const rs = [R(1, 1, 1), R(2, 1, 5), R(1, 2, null, 'error')];
    const lb = buildLeaderboard({ participants: ps, results: rs, history: [], method: 'median', podium: true, year: 2025 });
    expect(lb.complete).toEqual(new Set([2]));
    expect(lb.runtimeMedals.get(2)).toBe('gold');
    expect(lb.runtimeMedals.has(1)).toBe(false);
  });

  it('times whose 95% confidence intervals overlap are tied cells sharing the better medal', () => {
    const ps = [P(1, 'a'), P(2, 'b'), P(3, 'c')];
    const ci = (p: number, median: number, lo: number, hi: number): LbResult => ({ ...R(p, 1, median), ciLowMs: lo, ciHighMs: hi });
    const lb = buildLeaderboard({ participants: ps, results: [ci(1, 10, 9, 11), ci(2, 10.5, 10.2, 11.5), ci(3, 15, 14.5, 15.5)], history: [], method: 'median', podium: true, year: 2025 });
    expect(lb.rows[0].cells.map((c) => [c.medal, c.tied])).toEqual([['gold', true], ['gold', true], ['bronze', false]]);
    expect([...lb.points]).toEqual([[1, 4], [2, 4], [3, 2]]);
    // The minimum has no confidence interval: the same results are not tied there.
    const byMin = buildLeaderboard({ participants: ps, results: [ci(1, 10, 9, 11), ci(2, 10.5, 10.2, 11.5), ci(3, 15, 14.5, 15.5)], history: [], method: 'min', podium: true, year: 2025 });
    expect(byMin.rows[0].cells.map((c) => c.tied)).toEqual([false, false, false]);
  });
});
