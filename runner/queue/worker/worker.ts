import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { acquireLock } from '../../cycle/daemon-lock.ts';
import { Queue, Worker, type Job } from 'bullmq';
import { HARDWARE_CLASS, type QueueConfig } from '../../../lib/instance-config.ts';
import { classWorkers } from '../../../lib/queue-health.ts';
import { loadInstance, type LoadedInstance } from '../../../db/instance.ts';
import type { Executor } from '../../executor/types.ts';
import { hardwareSummary } from '../../host/hardware.ts';
import { openExecutor, sweep } from '../../prepare/images.ts';
import { Profile } from '../../report/profile.ts';
import { queueConnection } from '../connection.ts';
import { KeptResults } from './kept-results.ts';
import { isConnectionError, type RedisOutage } from '../outage.ts';
import { IMAGE_RECHECK_MS, ImageSightings, imageIdsKey } from '../image-ids.ts';
import { InputStore } from '../job-content.ts';
import { jobsQueueName, queueOptions, readWorkers, workersKey } from '../names.ts';
import type { MatrixJobData, TimeJobData, WorkerStatus } from '../payload.ts';
import { runMatrixJob, startAhead, type MatrixAhead } from './run-matrix-job.ts';
import { SandboxAhead } from './sandbox-ahead.ts';
import { ExecutorDown, runTimeJob, type WorkerContext } from './run-time-job.ts';
import { executorDown } from './host-fault.ts';
import { queueResultKey } from '../result-key.ts';
import { signResult } from '../result-mac.ts';

const BEAT_MS = 2_000;
/** How often a worker whose executor went away looks whether it is back. */
const STAND_DOWN_CHECK_MS = 2_000;

/**
 * `aocbench worker`: one benchmark host. It takes jobs of its hardware class
 * from the queue, one at a time (a timed run never shares the host), runs
 * them through its own executor, image cache and checkouts, and returns
 * samples and verdicts; the coordinator stores them.
 */
export async function worker(opts: { config?: string; hardwareClass?: string; log?: (line: string) => void; executor?: Executor }): Promise<{ close(): Promise<void> }> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const inst = loadInstance(opts.config);
  const { q, hardwareClass } = workerClass(inst, opts.hardwareClass);
  // Before anything starts: without the key no result of this worker would be stored.
  const resultKey = queueResultKey(q, process.env);
  mkdirSync(inst.dataDir, { recursive: true });
  // One worker per data dir: a second one's start-up sweep would remove the first one's running sandbox.
  const release = acquireLock(join(inst.dataDir, 'worker.lock'), 'worker');
  // Given: a test's (a fake one obeying the VM executor's rules); otherwise the instance's.
  const executor = await openExecutor(inst, opts.executor);
  await sweep(executor, inst);
  // The outage's line, shown in the heartbeat once Redis is back; null when there is none.
  let problem: string | null = null;
  const { redis: connection, outage } = queueConnection(q, (m) => {
    log(`aocbench worker: ${m}`);
    problem = outage.since === null ? null : m;
  });
  const ctx: WorkerContext = { inst, executor, hardware: hardwareByLimits(executor), hardwareClass, inputs: new InputStore(connection, q), synced: new Map(),
    images: new ImageSightings(connection, imageIdsKey(q, hardwareClass), executor),
  };
  const me: Omit<WorkerStatus, 'seenAt' | 'job'> = { id: `${hostname()}:${process.pid}`, host: hostname(), hardwareClass, startedAt: Date.now() };
  let current: string | null = null;
  const beat = () =>
    Promise.all([
      connection.hset(workersKey(q), me.id, JSON.stringify({ ...me, job: current, seenAt: Date.now(), message: problem } satisfies WorkerStatus)).catch(() => {}),
      ctx.images?.announce(),
    ]);
  void beat();
  const timer = setInterval(beat, BEAT_MS);
  // Between jobs only: an image inspect is no disturbance to timed runs if none is running.
  const recheck = setInterval(() => void (current === null ? ctx.images?.recheck() : null), IMAGE_RECHECK_MS);
  const onError = workerErrors(outage, log);
  const ahead = lookAhead(ctx, connection, q, onError);
  // Kept results are kept signed: one altered in Redis then fails the coordinator's check.
  const doing: Doing = { ctx, kept: new KeptResults(connection, q), ahead, log, sign: (job, result) => signResult(resultKey, job.id!, job.data, result) };
  const w = new Worker(
    jobsQueueName(hardwareClass),
    async (job: Job) => {
      current = jobLabel(job);
      void beat();
      try {
        return await perform(job, current, doing);
      } catch (e) {
        if (e instanceof ExecutorDown) void standDown(e.message);
        throw e;
      } finally {
        current = null;
        void beat();
      }
    },
    {
      connection, ...queueOptions(q),
      // One job at a time per host: timed runs never share it, matrix runs do not disturb them.
      concurrency: 1,
      lockDuration: q.stallSeconds * 1000,
      stalledInterval: q.stallSeconds * 1000,
      maxStalledCount: 3,
    },
  );
  w.on('error', onError);
  const standDown = standingDown(w, executor, log, (p) => (problem = p));
  log(`aocbench worker ${me.id}: class ${hardwareClass}, executor ${inst.config.executor}, data dir ${inst.dataDir}`);

  const close = async () => {
    standDown.closing = true;
    clearInterval(timer);
    clearInterval(recheck);
    // Waits for the job in flight: a stopped worker finishes it rather than leaving it to the stall timeout.
    // Not for a Redis that is away: what it would be told is lost anyway.
    await whileRedisAnswers(outage, w.close());
    await ahead?.sandboxes.settle();
    await whileRedisAnswers(outage, ahead?.close() ?? Promise.resolve());
    await whileRedisAnswers(outage, connection.hdel(workersKey(q), me.id).catch(() => {}));
    await sweep(executor, inst);
    connection.disconnect();
    release();
  };
  return { close };
}

/** Where this host measures, for sessions with a job's limits: read once per memory limit. */
function hardwareByLimits(executor: Executor): WorkerContext['hardware'] {
  const summaries = new Map<number, Promise<Record<string, unknown>>>();
  return (limits) => summaries.get(limits.memoryMb) ?? summaries.set(limits.memoryMb, hardwareSummary(executor, limits)).get(limits.memoryMb)!;
}

/** The queue and hardware class this worker serves. */
function workerClass(inst: LoadedInstance, given?: string): { q: QueueConfig; hardwareClass: string } {
  const q = inst.config.queue;
  if (!q) throw new Error('the instance config has no `queue:` (url, hardwareClass): a worker needs the queue the coordinator fills');
  const hardwareClass = given ?? q.hardwareClass;
  if (!HARDWARE_CLASS.test(hardwareClass)) throw new Error(`hardware class "${hardwareClass}": lower-case letters, digits and dashes`);
  return { q, hardwareClass };
}

const jobLabel = (job: Job): string => {
  const d = job.data as TimeJobData & MatrixJobData;
  return `${job.name}: ${job.name === 'time' ? d.participant : d.solver} day ${d.day}`;
};

/** What a job is run with. */
interface Doing {
  ctx: WorkerContext;
  kept: KeptResults;
  ahead: (MatrixAhead & { close(): Promise<void> }) | null;
  log: (line: string) => void;
  sign: (job: Job, result: unknown) => unknown;
}

/** One job: a result kept from before Redis lost the job, else the job run here; signed and kept until the coordinator has it. */
async function perform(job: Job, label: string, { ctx, kept, ahead, log, sign }: Doing): Promise<unknown> {
  const started = Date.now();
  const done = await kept.take(job);
  if (done) {
    log(`aocbench worker: ${label} (job ${job.id}) ran here before Redis lost it: its kept result is returned, not measured again`);
    return done;
  }
  log(`aocbench worker: ${label} (job ${job.id})`);
  const profile = new Profile();
  // Timed runs have the host to themselves: sandboxes started ahead or closing are done first.
  if (job.name === 'time' && ahead) await profile.time('wait for untimed work', () => ahead.sandboxes.settle());
  const result = job.name === 'time' ? await runTimeJob(ctx, job.data as TimeJobData, profile) : job.name === 'matrix' ? await runMatrixJob(ctx, job.data as MatrixJobData, profile, ahead ?? undefined) : null;
  if (!result) throw new Error(`unknown job kind ${job.name}`);
  // Where the job's time went, in one line: sync 0.002, image 0.010, sandbox start 0.120, …
  const phases = profile.report().foreground.map((p) => `${p.phase} ${(p.ms / 1000).toFixed(3)}`).join(', ');
  log(`aocbench worker: done ${label} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${'outcome' in result ? result.outcome.status : `${result.cells.length} cell(s)`} (${phases})`);
  const signed = sign(job, result);
  kept.keep(job, signed);
  return signed;
}

/**
 * The next waiting matrix job's sandbox, started while this one runs; none
 * where the executor allows one sandbox at a time (a VM guest's memory is
 * sized for one guest).
 */
function lookAhead(ctx: WorkerContext, connection: Redis, q: QueueConfig, onError: (e: Error) => void): Doing['ahead'] {
  if (ctx.executor.maxSandboxes < 2) return null;
  const peekQueue = new Queue(jobsQueueName(ctx.hardwareClass), { connection, ...queueOptions(q) });
  peekQueue.on('error', onError);
  return {
    sandboxes: new SandboxAhead((d) => startAhead(ctx, d)),
    peek: async () => {
      // With other live workers of the class, whichever finishes first takes the next job, and a sandbox
      // started for it here would often be closed unused: measured on one 2-core host, that cost more than it saved.
      const all = await readWorkers(connection, q);
      if (classWorkers(all, ctx.hardwareClass, Date.now()).live > 1) return null;
      const [next] = await peekQueue.getWaiting(0, 0);
      return next?.name === 'matrix' ? (next.data as MatrixJobData) : null;
    },
    close: () => peekQueue.close(),
  };
}

/** Without its executor this host can only fail jobs: it takes none (a healthy worker of the class takes them) until the executor is back. */
function standingDown(w: Worker, executor: Executor, log: (line: string) => void, say: (problem: string | null) => void) {
  let standing = false;
  const standDown = Object.assign(
    async (why: string) => {
      if (standing) return;
      standing = true;
      say(`${why}; taking no jobs until it is back`);
      log(`aocbench worker: ${why}; taking no jobs until it is back`);
      await w.pause(true).catch(() => {});
      while (!standDown.closing && (await executorDown(executor))) await new Promise((r) => setTimeout(r, STAND_DOWN_CHECK_MS));
      say(null);
      standing = false;
      if (standDown.closing) return;
      log(`aocbench worker: ${executor.kind} is back; taking jobs again`);
      await w.resume();
    },
    { closing: false },
  );
  return standDown;
}

/**
 * BullMQ's errors, said once each: a connection error is the outage's (said
 * once by the connection); a job Redis lost while it ran is named once.
 */
function workerErrors(outage: RedisOutage, log: (line: string) => void): (e: Error) => void {
  const said = new Set<string>();
  return (e) => {
    if (isConnectionError(e) || outage.since !== null) return;
    const lost = /^Missing (?:key|lock) for job (\S+?)\.? /.exec(e.message)?.[1] ?? /could not renew lock for job (\S+)/.exec(e.message)?.[1];
    const line = lost ? `job ${lost} is no longer in the queue as this worker had it (Redis lost its data, or was away past the stall interval); its result is kept here for when it is queued again` : e.message;
    if (said.has(line)) return;
    said.add(line);
    log(`aocbench worker: ${line}`);
  };
}

/** `work`, or nothing once Redis has been unreachable for a few seconds. */
async function whileRedisAnswers(outage: RedisOutage, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const away = new Promise<void>((resolve) => {
    timer = setInterval(() => outage.since !== null && Date.now() - outage.since > 5_000 && resolve(), 500);
  });
  await Promise.race([work.catch(() => {}), away]).finally(() => clearInterval(timer));
}
