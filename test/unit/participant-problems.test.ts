import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { freshDbEachTest } from '../helpers/instance.ts';
import { clearHealth, setHealth } from '../../db/queries/health.ts';
import { recordImage, upsertParticipant } from '../../db/queries/participants.ts';
import { listParticipantProblems } from '../../db/queries/views.ts';
import { logTail } from '../../app/health/log-tail.ts';

const fresh = freshDbEachTest('aocbench-problems-');
let db: Db;
beforeEach(() => (db = fresh.get()));

describe("a participant's failing step, for the leaderboard badge", () => {
  it('names the first step that failed: clone, then config, then the image (built or pulled)', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n, i) => upsertParticipant(db, { name: n, dirName: n, repo: `file:///${n}`, position: i }));
    recordImage(db, a, { ok: false, kind: 'dockerfile', ref: 'x', imageId: null, built: true, log: 'RUN false' });
    setHealth(db, a, 0, 'image', 'error', 'Image x is not usable.');
    recordImage(db, b, { ok: false, kind: 'image', ref: 'nosuch:1', imageId: null, built: false, log: '' });
    setHealth(db, b, 0, 'image', 'error', 'Image nosuch:1 is not usable.');
    setHealth(db, c, 0, 'image', 'error', 'old');
    setHealth(db, c, 0, 'config', 'error', 'YAML does not parse');
    setHealth(db, c, 0, 'repo', 'error', 'git fetch failed');
    setHealth(db, d, 0, 'repo', 'ok', 'Repository updated.');
    setHealth(db, d, 3, 'run', 'error', 'a day failing is not a step failing');
    const labels = () => Object.fromEntries([...listParticipantProblems(db)].map(([id, p]) => [id, p.label]));
    expect(labels()).toEqual({ [a]: 'build failed', [b]: 'image missing', [c]: 'repo unreachable' });
    setHealth(db, c, 0, 'repo', 'ok', 'Repository updated.');
    expect(labels()[c]).toBe('config error');
    setHealth(db, d, 0, 'repo', 'error', 'Repository refused: 1000001 entries, over the 100000 limit; results from the last good update are kept.');
    expect(labels()[d]).toBe('repo refused');
    clearHealth(db, a, 0, 'image');
    setHealth(db, a, 0, 'image', 'ok', 'Built x.');
    expect(labels()[a]).toBeUndefined();
  });
});

describe('the tail of a log', () => {
  it('keeps the last lines and says how many were left out', () => {
    const log = `${Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n')}\n`;
    expect(logTail(log, 3)).toEqual({ tail: 'line 97\nline 98\nline 99', omittedLines: 97 });
    expect(logTail('short\n')).toEqual({ tail: 'short', omittedLines: 0 });
    // One enormous line: its end, not its start.
    expect(logTail(`${'x'.repeat(50_000)}END`, 80, 100).tail.endsWith('END')).toBe(true);
  });
});
