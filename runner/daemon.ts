import { mkdirSync } from 'node:fs';
import pino from 'pino';
import { dbPath, openDb } from '../db/client.ts';
import { dataPaths } from '../lib/data-dir.ts';
import { dataVersion } from '../db/queries/views.ts';
import { claimNextJob, enqueueJob, finishJob, requeueInterrupted, setJobProgress, type JobRow } from '../db/queries/jobs.ts';
import { bench } from './bench.ts';
import { loadInstance } from './config-load.ts';
import { acquireLock } from './daemon-lock.ts';
import { matrix } from './matrix.ts';
import { daysOnDisputedFiles } from './settle-disputes.ts';
import { openExecutor, sweep } from './prepare.ts';
import { Progress } from './progress.ts';
import { presence } from './presence.ts';
import { mirrorQueueStatus } from './queue/status-mirror.ts';

/**
 * Waits until another connection commits (a webhook or the admin page
 * queueing a job) or `maxMs` passes. SQLite's data_version is a counter read
 * without touching a table, so checking it often costs next to nothing and a
 * queued job starts within a few milliseconds.
 */
async function dataChange(db: ReturnType<typeof openDb>, maxMs: number, signal: AbortSignal): Promise<void> {
  const start = dataVersion(db);
  const until = Date.now() + maxMs;
  while (Date.now() < until && !signal.aborted && dataVersion(db) === start) await new Promise((r) => setTimeout(r, 20));
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `aocbench daemon`: polls every repository on an interval and works through
 * the job queue in SQLite (which the web app and `aocbench trigger` also
 * fill), one job at a time, so timed runs never overlap.
 */
export async function daemon(opts: { config?: string }): Promise<void> {
  const inst = loadInstance(opts.config);
  mkdirSync(inst.dataDir, { recursive: true });
  const paths = dataPaths(inst.dataDir);
  const release = acquireLock(paths.lock);
  const log = pino({ base: { pid: process.pid } }, pino.destination({ dest: paths.log, sync: true, mkdir: true }));
  const db = openDb(dbPath(inst.dataDir));
  // With a queue the workers own the executors; the coordinator needs no Docker.
  const executor = inst.config.queue ? null : await openExecutor(inst);
  let stopping = false;
  let current: JobRow | null = null;
  const shutdown = new AbortController();

  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    shutdown.abort();
    const job = current;
    log.info({ sig, job: job?.id }, 'stopping');
    if (executor) await sweep(executor, inst);
    await mirror?.stop();
    if (job) finishJob(db, job.id, 'interrupted', `interrupted by ${sig}`);
    db.$client.close();
    release();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  presence(inst.dataDir, 'daemon');
  const mirror = inst.config.queue ? mirrorQueueStatus(inst.config.queue, db, (m) => log.warn(m)) : null;
  const requeued = requeueInterrupted(db);
  const stale = executor ? await sweep(executor, inst) : 0;
  log.info({ requeued, stale, dataDir: inst.dataDir, pollMinutes: inst.config.daemon.pollMinutes }, 'daemon started');
  process.stderr.write(`aocbench daemon: data dir ${inst.dataDir}, polling every ${inst.config.daemon.pollMinutes} min, log ${paths.log}${requeued ? `, ${requeued} interrupted job(s) re-queued` : ''}\n`);

  let nextPoll = 0;
  while (!stopping) {
    if (Date.now() >= nextPoll) {
      // Joins an everyone-cycle already queued; a queued push for one participant does not stand in for it.
      enqueueJob(db, { kind: 'cycle', requestedBy: 'poll' });
      nextPoll = Date.now() + inst.config.daemon.pollMinutes * 60_000;
    }
    const job = claimNextJob(db);
    if (!job) {
      await dataChange(db, 1000, shutdown.signal);
      continue;
    }
    current = job;
    const started = Date.now();
    log.info({ job }, 'job started');
    let lastWrite = 0;
    const progress = new Progress((line) => {
      log.info({ job: job.id }, line);
      if (Date.now() - lastWrite > 250) {
        lastWrite = Date.now();
        setJobProgress(db, job.id, line);
      }
    });
    try {
      const participant = job.participant ? escapeRe(job.participant) : undefined;
      const day = job.day ? String(job.day) : undefined;
      const common = { config: opts.config, participant, day, force: job.force, progress, executor: executor ?? undefined, signal: shutdown.signal };
      if (job.kind === 'cycle' || job.kind === 'bench') {
        const s = await bench({ ...common, handleSignals: false });
        // Where the job's time went, for an operator asking why a push took long (`bench --verbose` on the command line).
        log.info({ job: job.id, profile: s.profile }, 'bench profile');
      }
      if (stopping) break;
      if (job.kind === 'cycle' || job.kind === 'matrix') {
        await matrix({ ...common, noUpdate: job.kind === 'cycle' });
        // An answers file the matrix now disputes: the days measured on it run again on the next input, in this job.
        const stale = [...new Set(daysOnDisputedFiles(db).map((s) => s.day))];
        if (stale.length && !stopping) await bench({ ...common, participant: undefined, day: stale.join('|'), force: false, noUpdate: true, handleSignals: false, settle: false });
      }
      if (stopping) break; // stop() records the job as interrupted
      finishJob(db, job.id, 'done', `took ${Math.round((Date.now() - started) / 1000)} s`);
      log.info({ job: job.id, ms: Date.now() - started }, 'job done');
    } catch (e) {
      if (stopping) break;
      // One participant's broken repo or image is handled inside bench; this is everything else.
      finishJob(db, job.id, 'failed', (e as Error).message);
      log.error({ job: job.id, err: (e as Error).message }, 'job failed');
    }
    current = null;
  }
}
