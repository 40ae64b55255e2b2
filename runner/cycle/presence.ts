import { openDataDb } from '../../db/client.ts';
import { COMMAND_LINE_RUN, finishJob, setJobProgress, startJob, type JobKind } from '../../db/queries/jobs.ts';
import { beat, endRunner, runnerId, setRunnerProblem } from '../../db/queries/runners.ts';
import { Progress } from '../report/progress.ts';

const BEAT_MS = 10_000;

/**
 * This process as a runner the site can see: a heartbeat every few seconds
 * until `stop`, and what keeps it from working (`problem`). Every write is
 * best effort: a full disk or a busy database must not end the process.
 */
export function presence(dataDir: string, kind: 'daemon' | 'cli'): { stop(): void; problem(why: string | null): void } {
  const db = openDataDb(dataDir);
  const me = { id: runnerId(), kind, startedAt: Date.now() };
  bestEffort(() => beat(db, me));
  const timer = setInterval(() => bestEffort(() => beat(db, me)), BEAT_MS);
  timer.unref();
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    bestEffort(() => endRunner(db, me.id));
    bestEffort(() => db.$client.close());
  };
  process.once('exit', stop);
  return { stop, problem: (why) => bestEffort(() => setRunnerProblem(db, me.id, why)) };
}

/** A write that may fail (disk full, database busy) without taking the process with it: heartbeats, progress, exit records. */
export function bestEffort(write: () => void): void {
  try {
    write();
  } catch {
    // The next beat, line or run writes again; the job's own end is recorded where failing matters.
  }
}

/**
 * A command-line bench or matrix as the site sees it: a running job with its
 * progress (so the banner says a run is in progress however it was started),
 * and a runner's heartbeat. A run killed before the end is recorded as interrupted.
 */
export async function asCommandLineJob<T>(dataDir: string, job: { kind: JobKind; participant?: string; day?: string; force?: boolean }, run: (progress: Progress) => Promise<T>): Promise<T> {
  const db = openDataDb(dataDir);
  const id = startJob(db, { kind: job.kind, participant: job.participant ?? null, day: job.day && /^\d+$/.test(job.day) ? Number(job.day) : null, force: !!job.force, requestedBy: COMMAND_LINE_RUN });
  const alive = presence(dataDir, 'cli');
  let lastWrite = 0;
  const progress = new Progress((line) => {
    process.stderr.write(`${line}\n`);
    if (Date.now() - lastWrite > 250) {
      lastWrite = Date.now();
      bestEffort(() => setJobProgress(db, id, line));
    }
  });
  let finished = false;
  const interrupted = () => {
    if (!finished) bestEffort(() => finishJob(db, id, 'interrupted', 'the command was stopped'));
  };
  process.once('exit', interrupted);
  try {
    const out = await run(progress);
    finishJob(db, id, 'done', null);
    return out;
  } catch (e) {
    bestEffort(() => finishJob(db, id, 'failed', (e as Error).message));
    throw e;
  } finally {
    finished = true;
    process.off('exit', interrupted);
    alive.stop();
    db.$client.close();
  }
}
