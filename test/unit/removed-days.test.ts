import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { freshDbEachTest } from '../helpers/instance.ts';
import { upsertParticipant } from '../../db/queries/participants.ts';
import { listDayResults, markRemovedDays, saveDayResult, type DayResultInput } from '../../db/queries/results.ts';
import { listParticipantViews, listResultViews } from '../../db/queries/views.ts';
import { aocbenchResults, resultsExport, timesExport } from '../../lib/export.ts';
import { buildLeaderboard, counts } from '../../lib/leaderboard.ts';

const fresh = freshDbEachTest('aocbench-removed-');
let db: Db;
beforeEach(() => (db = fresh.get()));

const result = (participantId: number, day: number, ms: number): DayResultInput => ({
  participantId, day, runAt: 1000 + day, version: `v${day}`, inputVersion: 'i', imageId: 'sha256:x', status: 'correct', failedStep: null, exitCode: 0,
  inputSource: 'a', samples: JSON.stringify([ms, ms, ms]), medianMs: ms, meanMs: ms, minMs: ms, maxMs: ms, stddevMs: 0, ciLowMs: ms, ciHighMs: ms,
  checkMs: ms, expected: null, message: null, runonceOutput: null, checkOutput: null, durationMs: 10,
});

/** Days 1..`days` as a sync sees them: those in `have` exist. */
const present = (have: number[], days = 3) => Array.from({ length: days }, (_, i) => ({ day: i + 1, exists: have.includes(i + 1) }));

function board() {
  const ps = listParticipantViews(db).map((p) => ({ ...p, daypath: undefined }));
  return buildLeaderboard({ participants: ps, results: listResultViews(db), history: [], method: 'median', podium: true, year: 2024 });
}

describe('days gone from the repository', () => {
  it('are marked removed, kept, out of points; a day that comes back loses the mark', () => {
    const a = upsertParticipant(db, { name: 'a', dirName: 'a', repo: 'file:///a', position: 0 });
    const b = upsertParticipant(db, { name: 'b', dirName: 'b', repo: 'file:///b', position: 1 });
    for (const day of [1, 2, 3]) {
      saveDayResult(db, result(a, day, 1));
      saveDayResult(db, result(b, day, 2));
    }
    // a is fastest on all three days: 12 points to b's 9.
    expect(board().points.get(a)).toBe(12);

    expect(markRemovedDays(db, a, present([1, 2]), 5000)).toEqual({ removed: [3], restored: [] });
    // Nothing changed: nothing written.
    expect(markRemovedDays(db, a, present([1, 2]), 6000)).toEqual({ removed: [], restored: [] });
    // A day outside the days looked at (a season shortened in the config) is left alone.
    expect(markRemovedDays(db, b, present([1, 2], 2), 6000)).toEqual({ removed: [], restored: [] });
    const rows = listDayResults(db, [a]);
    expect(rows.map((r) => [r.day, r.status, r.removedAt])).toEqual([[1, 'correct', null], [2, 'correct', null], [3, 'correct', 5000]]);

    const lb = board();
    expect(lb.points.get(a)).toBe(8);
    expect(lb.points.get(b)).toBe(10);
    const day3 = lb.rows.find((r) => r.day === 3)!.cells.find((c) => c.participantId === a)!;
    expect(day3).toMatchObject({ status: 'removed', value: null, medal: null });
    expect(day3.history[0]).toMatchObject({ status: 'correct', value: 1 });
    // Out of points and out of the runtime: b has a time on day 3 and a has none, so a's total leaves a day out.
    expect(lb.complete.has(a)).toBe(false);
    expect(lb.runtime.get(a)).toBe(2);
    expect(counts(listResultViews(db).find((r) => r.participantId === a && r.day === 3)!)).toBe(false);

    expect(markRemovedDays(db, a, present([1, 2, 3]))).toEqual({ removed: [], restored: [3] });
    expect(board().points.get(a)).toBe(12);
  });

  it('the exports say which days are removed; AoCBench shapes only when one is', () => {
    const a = upsertParticipant(db, { name: 'a', dirName: 'a', repo: 'file:///a', position: 0 });
    saveDayResult(db, result(a, 1, 1));
    saveDayResult(db, result(a, 2, 1));
    markRemovedDays(db, a, present([1]), Date.UTC(2024, 11, 5));
    const ps = listParticipantViews(db);
    const cur = listDayResults(db);
    const full = resultsExport(ps, cur, [], { year: 2024, lastUpdate: null });
    expect(full.participants[0].days['1']).toMatchObject({ status: 'correct', removed: false, removedAt: null });
    expect(full.participants[0].days['2']).toMatchObject({ status: 'correct', removed: true, removedAt: '2024-12-05T00:00:00.000Z' });
    const aoc = aocbenchResults(ps, cur, [], { lastUpdate: null, hardware: '' }).results.a.days as Record<string, Record<string, unknown>>;
    expect(aoc['1']).not.toHaveProperty('removed');
    expect(aoc['2']).toMatchObject({ removed: true });
    const times = timesExport(ps, cur).a.days as Record<string, Record<string, unknown>>;
    expect(times['2']).toMatchObject({ removed: true });
  });
});
