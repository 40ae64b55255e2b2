import { mkdirSync } from 'node:fs';
import pino from 'pino';
import { printable } from '../../lib/printable.ts';
import { inSeason, openDataDb, type Db } from '../../db/client.ts';
import { seasonsToRun } from './seasons.ts';
import { dataPaths } from '../../lib/data-dir.ts';
import { dataVersion } from '../../db/queries/views.ts';
import { claimNextJob, enqueueJob, finishJob, requeueInterrupted, setJobProgress, type JobRow } from '../../db/queries/jobs.ts';
import { bench } from './bench.ts';
import { loadInstance, type LoadedInstance } from '../../db/instance.ts';
import { acquireLock } from './daemon-lock.ts';
import { matrix } from './matrix.ts';
import { daysOnDisputedFiles } from './settle-disputes.ts';
import { asHostFault, diskProblem, HostFault } from '../host/blame.ts';
import { untilHostIsBack, type HostWaitHooks } from '../host/host-wait.ts';
import { Progress } from '../report/progress.ts';
import { bestEffort, presence } from './presence.ts';
import { nextDue } from '../../db/queries/news.ts';
import { deliverDue } from '../notify/deliver.ts';
import { runwayHost, type RunwayHost } from '../runway/host.ts';

/**
 * Waits until another connection commits (a webhook or the admin page
 * queueing a job) or `maxMs` passes. SQLite's data_version is a counter read
 * without touching a table, so checking it often costs next to nothing and a
 * queued job starts within a few milliseconds.
 */
async function dataChange(db: Db, maxMs: number, signal: AbortSignal): Promise<void> {
  const start = dataVersion(db);
  const until = Date.now() + maxMs;
  while (Date.now() < until && !signal.aborted && dataVersion(db) === start) await new Promise((r) => setTimeout(r, 20));
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What a job runs with: the daemon's instance, database, log, runway and its wait for the host. */
interface Daemon {
  opts: { config?: string };
  inst: LoadedInstance;
  db: Db;
  log: pino.Logger;
  runway: RunwayHost;
  hostWait: HostWaitHooks;
  shutdown: AbortSignal;
  stopping: () => boolean;
}

/**
 * `aocbench daemon`: polls every repository on an interval and works through
 * the job queue in SQLite (which the web app and `aocbench trigger` also
 * fill), one job at a time, so timed runs never overlap. A host fault
 * (Docker unreachable, the data disk full) fails the job in flight with its
 * reason and makes the daemon wait for the host (host-wait.ts), then run a
 * cycle, which re-plans whatever the fault kept from running.
 */
export async function daemon(opts: { config?: string }): Promise<void> {
  const inst = loadInstance(opts.config);
  // A runway that cannot work (a queue with no result key) stops the start, before the lock and the wait for the host.
  const runway = runwayHost(inst);
  mkdirSync(inst.dataDir, { recursive: true });
  const paths = dataPaths(inst.dataDir);
  const release = acquireLock(paths.lock);
  // Participant text reaches the log in messages: control characters pino leaves raw (C1, bidi) are made visible.
  const log = pino({ base: { pid: process.pid }, hooks: { streamWrite: printable } }, pino.destination({ dest: paths.log, sync: true, mkdir: true }));
  const db = openDataDb(inst.dataDir);
  let stopping = false;
  let current: JobRow | null = null;
  const shutdown = new AbortController();
  // Set once the host is up; a stop during the wait for the host has nothing to stop.
  let mirror: { stop(): Promise<void> } | null = null;

  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    shutdown.abort();
    const job = current;
    log.info({ sig, job: job?.id }, 'stopping');
    await runway.sweep();
    await mirror?.stop();
    if (job) bestEffort(() => finishJob(db, job.id, 'interrupted', `interrupted by ${sig}`));
    bestEffort(() => db.$client.close());
    release();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  const me = presence(inst.dataDir, 'daemon');
  const hostWait = {
    check: async () => diskProblem(inst.dataDir) ?? (await runway.problem()),
    show: (problem: string | null) => me.problem(problem),
    log: (message: string, fields: Record<string, unknown>) => log.warn(fields, message),
    signal: shutdown.signal,
  };
  await untilHostIsBack(hostWait);
  if (stopping) return;
  mirror = runway.watch(db, (m) => log.warn(m));
  const requeued = requeueInterrupted(db);
  const stale = await runway.sweep();
  log.info({ requeued, stale, dataDir: inst.dataDir, pollMinutes: inst.config.daemon.pollMinutes }, 'daemon started');
  process.stderr.write(`aocbench daemon: data dir ${inst.dataDir}, polling every ${inst.config.daemon.pollMinutes} min, log ${paths.log}${requeued ? `, ${requeued} interrupted job(s) re-queued` : ''}\n`);

  let nextPoll = 0;
  while (!stopping) {
    try {
      if (Date.now() >= nextPoll) {
        // Joins an everyone-cycle already queued; a queued push for one participant does not stand in for it.
        enqueueJob(db, { kind: 'cycle', requestedBy: 'poll' });
        nextPoll = Date.now() + inst.config.daemon.pollMinutes * 60_000;
      }
      const job = claimNextJob(db);
      if (!job) {
        // Between jobs, never during one: news the last cycle could not deliver, at its retry time.
        if ((nextDue(db) ?? Infinity) <= Date.now()) {
          const sent = await deliverDue(db, { until: Date.now() + 20_000 });
          for (const e of sent.errors) log.warn({ error: e }, 'news not delivered');
        }
        await dataChange(db, 1000, shutdown.signal);
        continue;
      }
      current = job;
      await runJob(job, { opts, inst, db, log, runway, hostWait, shutdown: shutdown.signal, stopping: () => stopping });
    } catch (e) {
      if (stopping) break;
      // Outside a job (the poll's enqueue, the claim): only the host can make these fail.
      const host = asHostFault(e, inst.dataDir);
      if (!host) throw e;
      log.error({ err: host.message }, 'host fault');
      await untilHostIsBack(hostWait, host.message);
    } finally {
      current = null;
    }
  }
}

/** One job from the SQLite queue: a cycle (bench, then matrix), a bench or a matrix; its end recorded, a host fault waited out. */
async function runJob(job: JobRow, d: Daemon): Promise<void> {
  const { opts, inst, db, log, runway, hostWait, shutdown } = d;
  const stopping = () => d.stopping();
  const started = Date.now();
  log.info({ job }, 'job started');
  let lastWrite = 0;
  const progress = new Progress((line) => {
    log.info({ job: job.id }, line);
    if (Date.now() - lastWrite > 250) {
      lastWrite = Date.now();
      bestEffort(() => setJobProgress(db, job.id, line));
    }
  });
  try {
    // A job on a host that cannot work would fail in the participants' name (a fetch into a full disk looks like their repo failing).
    const problem = await hostWait.check();
    if (problem) throw new HostFault(problem);
    const participant = job.participant ? escapeRe(job.participant) : undefined;
    const day = job.day ? String(job.day) : undefined;
    const common = { config: opts.config, season: job.season || undefined, participant, day, force: job.force, progress, executor: runway.executor, signal: shutdown };
    if (job.kind === 'cycle' || job.kind === 'bench') {
      const s = await bench({ ...common, handleSignals: false });
      // Where the job's time went, for an operator asking why a push took long (`bench --verbose` on the command line).
      log.info({ job: job.id, profile: s.profile }, 'bench profile');
    }
    if (stopping()) return;
    if (job.kind === 'cycle' || job.kind === 'matrix') {
      await matrix({ ...common, noUpdate: job.kind === 'cycle' });
      // An answers file the matrix now disputes: the days measured on it run again on the next input, in this job.
      for (const season of seasonsToRun(opts.config, common.season)) {
        const stale = [...new Set(daysOnDisputedFiles(inSeason(db, season)).map((s) => s.day))];
        if (stale.length && !stopping()) await bench({ ...common, season, participant: undefined, day: stale.join('|'), force: false, noUpdate: true, handleSignals: false, settle: false });
      }
    }
    if (stopping()) return; // stop() records the job as interrupted
    finishJob(db, job.id, 'done', `took ${Math.round((Date.now() - started) / 1000)} s`);
    log.info({ job: job.id, ms: Date.now() - started }, 'job done');
  } catch (e) {
    if (stopping()) return;
    // One participant's broken repo or image is handled inside bench; a host fault is the host's, everything else the job's.
    const host = asHostFault(e, inst.dataDir);
    const message = host ? `${host.message}; a cycle runs once the host is back` : (e as Error).message;
    bestEffort(() => finishJob(db, job.id, 'failed', message));
    log.error({ job: job.id, err: message }, 'job failed');
    if (!host) return;
    await untilHostIsBack(hostWait, host.message);
    if (stopping()) return;
    // On a full disk the first record of the failure may not have been written.
    bestEffort(() => finishJob(db, job.id, 'failed', message));
    enqueueJob(db, { kind: 'cycle', requestedBy: 'host back' });
  }
}
