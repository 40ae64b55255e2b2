import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { upsertParticipant } from '../../db/queries/participants.ts';
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
