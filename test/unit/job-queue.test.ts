import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { freshDbEachTest } from '../helpers/instance.ts';
import {
  claimNextJob, COMMAND_LINE_RUN, endOrphanedJobs, enqueueJob, finishJob, jobDurationMs, listJobs, queueState, requeueInterrupted, startJob,
} from '../../db/queries/jobs.ts';
import { beat, JOB_RUNNER_STALE_MS } from '../../db/queries/runners.ts';
import { progressCount, progressEta, runningLine } from '../../app/_lib/banner.ts';

const fresh = freshDbEachTest('aocbench-jobs-');
let db: Db;
beforeEach(() => (db = fresh.get()));

const job = (id: number) => listJobs(db, 1000).find((j) => j.id === id)!;

describe('queueing jobs', () => {
  it('coalesces a request into the job queued for the same work, and a forced one makes it forced', () => {
    const a = enqueueJob(db, { kind: 'cycle', participant: 'alice', requestedBy: 'webhook' });
    for (let i = 0; i < 50; i++) expect(enqueueJob(db, { kind: 'cycle', participant: 'alice', requestedBy: 'webhook' })).toBe(a);
    expect(job(a).force).toBe(false);
    expect(enqueueJob(db, { kind: 'cycle', participant: 'alice', force: true, requestedBy: 'admin' })).toBe(a);
    expect(job(a).force).toBe(true);
    // Other work is its own job: another participant, day or kind, or everyone.
    const others = [
      enqueueJob(db, { kind: 'cycle', participant: 'bob', requestedBy: 'webhook' }),
      enqueueJob(db, { kind: 'bench', participant: 'alice', day: 3, requestedBy: 'api' }),
      enqueueJob(db, { kind: 'bench', participant: 'alice', day: 4, requestedBy: 'api' }),
      enqueueJob(db, { kind: 'matrix', participant: 'alice', requestedBy: 'api' }),
      enqueueJob(db, { kind: 'cycle', requestedBy: 'poll' }),
    ];
    expect(new Set([a, ...others]).size).toBe(6);
    expect(listJobs(db)).toHaveLength(6);
  });

  it('does not coalesce into a job that already runs: a push during a run is a new job', () => {
    const a = enqueueJob(db, { kind: 'cycle', participant: 'alice', requestedBy: 'webhook' });
    expect(claimNextJob(db, 'me:1')?.id).toBe(a);
    const b = enqueueJob(db, { kind: 'cycle', participant: 'alice', requestedBy: 'webhook' });
    expect(b).not.toBe(a);
    expect(enqueueJob(db, { kind: 'cycle', participant: 'alice', requestedBy: 'webhook' })).toBe(b);
  });

  it('serves the participant served longest ago first: a burst for one holds another back by one job at most', () => {
    const a1 = enqueueJob(db, { kind: 'cycle', participant: 'alice', requestedBy: 'webhook' });
    expect(claimNextJob(db, 'me:1')?.id).toBe(a1);
    const a2 = enqueueJob(db, { kind: 'cycle', participant: 'alice', requestedBy: 'webhook' });
    const b = enqueueJob(db, { kind: 'cycle', participant: 'bob', requestedBy: 'webhook' });
    finishJob(db, a1, 'done', null);
    expect(claimNextJob(db, 'me:1')?.id).toBe(b);
    finishJob(db, b, 'done', null);
    expect(claimNextJob(db, 'me:1')?.id).toBe(a2);
    // Same participant: in the order queued.
    const x = enqueueJob(db, { kind: 'bench', participant: 'carol', day: 1, requestedBy: 'api' });
    const y = enqueueJob(db, { kind: 'bench', participant: 'carol', day: 2, requestedBy: 'api' });
    finishJob(db, a2, 'done', null);
    expect([claimNextJob(db)?.id, claimNextJob(db)?.id]).toEqual([x, y]);
  });

  it('a re-queued job shows no previous message, start or end, and no duration', () => {
    const id = enqueueJob(db, { kind: 'bench', requestedBy: 'api' });
    claimNextJob(db, 'me:1');
    finishJob(db, id, 'interrupted', 'interrupted by SIGTERM');
    expect(requeueInterrupted(db)).toBe(1);
    expect(job(id)).toMatchObject({ status: 'queued', message: null, startedAt: null, finishedAt: null, progress: null, runner: null });
    expect(jobDurationMs(job(id))).toBeNull();
    const again = claimNextJob(db, 'me:1')!;
    expect(again.id).toBe(id);
    expect(jobDurationMs(job(id))).toBeGreaterThanOrEqual(0);
    finishJob(db, id, 'done', 'took 1 s');
    expect(jobDurationMs(job(id))).toBeGreaterThanOrEqual(0);
  });
});

describe('a running job whose process is gone', () => {
  it('is not shown as running once its runner stopped beating, and is then recorded as interrupted', () => {
    const now = Date.now();
    beat(db, { id: 'host:42', kind: 'cli', startedAt: now });
    const id = startJob(db, { kind: 'bench', requestedBy: COMMAND_LINE_RUN }, 'host:42');
    expect(queueState(db).running?.id).toBe(id);
    // The runner is silent for longer than the limit (a kill -9): not in progress.
    const later = now + JOB_RUNNER_STALE_MS + 1000;
    expect(queueState(db, later)).toMatchObject({ running: null, stopped: { id } });
    // A daemon start does not put a command-line run back in the queue, but ends it.
    db.$client.prepare('update runners set seen_at = ? where id = ?').run(now - JOB_RUNNER_STALE_MS - 1000, 'host:42');
    expect(requeueInterrupted(db)).toBe(0);
    expect(job(id)).toMatchObject({ status: 'interrupted' });
    expect(job(id).message).toMatch(/host:42.*stopped/);
  });

  it('a job just started counts as alive before its first beat; one never beaten is stopped after the limit', () => {
    const id = startJob(db, { kind: 'bench', requestedBy: COMMAND_LINE_RUN }, 'host:7');
    expect(queueState(db).running?.id).toBe(id);
    const later = Date.now() + JOB_RUNNER_STALE_MS + 1;
    expect(queueState(db, later).running).toBeNull();
    expect(endOrphanedJobs(db, later)).toBe(1);
    expect(job(id).status).toBe('interrupted');
    expect(queueState(db, later)).toMatchObject({ running: null, stopped: null });
  });
});

describe('the banner ETA', () => {
  it('comes from the runner progress line, and is left out when the runner has no estimate', () => {
    expect(progressEta('[2/5] alice day 3: timing · ETA 1m20s')).toBe('1m20s');
    expect(progressEta('[2/5] alice day 3: timing · ETA 0s')).toBeNull();
    expect(progressEta('alice: updating file:///x')).toBeNull();
    expect(progressEta(null)).toBeNull();
    const line = (progress: string) => runningLine({ kind: 'cycle', participant: null, startedAt: Date.UTC(2026, 11, 3, 8), progress });
    expect(line('[2/5] alice day 3: timing · ETA 0s')).toBe('A benchmark cycle run is in progress since 2026-12-03 08:00 UTC — [2/5] alice day 3: timing.');
    expect(line('[2/5] alice day 3: timing · ETA 45s')).toMatch(/timing · about 45s left\.$/);
  });

  it('counts down to the end time the runner wrote, whenever the page is drawn, and says when a run is past it', () => {
    const now = Date.UTC(2026, 11, 4, 6, 10, 0);
    expect(progressEta('[3/25] alice day 3: timing · ETA 2m40s, ends 06:12:40', now)).toBe('2m40s');
    expect(progressEta('[3/25] alice day 3: timing · ETA 2m40s, ends 06:12:40', now + 100_000)).toBe('1m00s');
    // Written before midnight, drawn after it.
    expect(progressEta('[3/25] alice day 3: timing · ETA 3m, ends 00:01:00', Date.UTC(2026, 11, 4, 23, 59, 0))).toBe('2m00s');
    const line = runningLine({ kind: 'cycle', participant: null, startedAt: now, progress: '[3/25] alice day 3: timing · ETA 2m40s, ends 06:12:40' }, now + 200_000);
    expect(line).toMatch(/\[3\/25\] alice day 3: timing · finishing, later than estimated\.$/);
    expect(progressCount('[3/25] alice day 3: timing · ETA 2m40s, ends 06:12:40')).toEqual({ done: 2, total: 25 });
    expect(progressCount('alice: updating')).toBeNull();
  });
});
