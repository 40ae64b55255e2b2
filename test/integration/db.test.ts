import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { storeDefaultBoard } from '../../db/queries/board.ts';
import { contentVersion } from '../../db/queries/live.ts';
import { upsertParticipant } from '../../db/queries/participants.ts';
import { readSnapshot, writeSnapshot } from '../../db/queries/snapshots.ts';
import type { BoardRanking } from '../../lib/board-ranking.ts';
import { getDayResult, listDayHistory, saveDayResult, type DayResultInput } from '../../db/queries/results.ts';
import { tempDir } from '../helpers/git-repo.ts';

function row(pid: number, runAt: number, medianMs: number): DayResultInput {
  return {
    participantId: pid, day: 1, runAt, version: `v${runAt}`, inputVersion: 'i', imageId: 'img', status: 'correct',
    failedStep: null, exitCode: 0, inputSource: 'x', samples: JSON.stringify([medianMs]), medianMs, meanMs: medianMs,
    minMs: medianMs, maxMs: medianMs, stddevMs: 0, ciLowMs: medianMs, ciHighMs: medianMs, checkMs: 1, expected: null,
    message: null, runonceOutput: null, checkOutput: null, durationMs: 1,
  };
}

describe('results storage', () => {
  it('uses WAL and keeps the newest 10 previous results', () => {
    const db = openDb(join(tempDir(), 'aocbench.db'));
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    const pid = upsertParticipant(db, { name: 'a', dirName: 'a', repo: 'https://x/a', position: 0 });
    for (let i = 1; i <= 14; i++) saveDayResult(db, row(pid, i, i));
    expect(getDayResult(db, pid, 1)).toMatchObject({ medianMs: 14, sampleCount: 1 });
    const hist = listDayHistory(db, pid, 1);
    expect(hist.map((h) => h.medianMs)).toEqual([13, 12, 11, 10, 9, 8, 7, 6, 5, 4]);
    expect(db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('a failing write leaves the previous result and history untouched', () => {
    const db = openDb(join(tempDir(), 'aocbench.db'));
    const pid = upsertParticipant(db, { name: 'a', dirName: 'a', repo: 'https://x/a', position: 0 });
    saveDayResult(db, row(pid, 1, 1));
    const bad = { ...row(pid, 2, 2), status: null as unknown as string };
    expect(() => saveDayResult(db, bad)).toThrow();
    expect(getDayResult(db, pid, 1)?.medianMs).toBe(1);
    expect(listDayHistory(db, pid, 1)).toEqual([]);
  });
});

describe('stored views (view_snapshots)', () => {
  it('the runner stores the board once per content version, again when a result changes it', () => {
    const db = openDb(join(tempDir(), 'aocbench.db'));
    const a = upsertParticipant(db, { name: 'a', dirName: 'a', repo: 'https://x/a', position: 0 });
    const b = upsertParticipant(db, { name: 'b', dirName: 'b', repo: 'https://x/b', position: 1 });
    saveDayResult(db, row(a, 1, 20));
    saveDayResult(db, row(b, 1, 10));
    const stored = () => db.$client.prepare("select version, written_at as at, body from view_snapshots where key = 'board:median:'").get() as { version: number; at: number; body: string };
    storeDefaultBoard(db, { podium: true });
    const first = stored();
    expect(first.version).toBe(contentVersion(db));
    expect((JSON.parse(first.body) as BoardRanking).order).toEqual([b, a]);
    storeDefaultBoard(db, { podium: true });
    expect(stored()).toEqual(first);
    saveDayResult(db, row(a, 2, 5));
    storeDefaultBoard(db, { podium: true });
    expect(stored().version).toBeGreaterThan(first.version);
    expect((JSON.parse(stored().body) as BoardRanking).order).toEqual([a, b]);
  });

  it('a page never waits for the write lock to store a view: skipped while the runner writes, the wait restored after', () => {
    const file = join(tempDir(), 'aocbench.db');
    const site = openDb(file);
    const runner = new Database(file);
    runner.pragma('busy_timeout = 5000');
    runner.exec('BEGIN IMMEDIATE');
    try {
      const t = performance.now();
      expect(writeSnapshot(site, 'k', 1, '{}')).toBe(false);
      // Far below the 5 s busy wait it would otherwise take.
      expect(performance.now() - t).toBeLessThan(2000);
      expect(site.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      runner.exec('ROLLBACK');
    }
    expect(writeSnapshot(site, 'k', 1, '{"a":1}')).toBe(true);
    expect(readSnapshot(site, 'k', 1)).toBe('{"a":1}');
    expect(readSnapshot(site, 'k', 2)).toBeUndefined();
    runner.close();
  });
});
