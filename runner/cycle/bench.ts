import PQueue from 'p-queue';
import { eq } from 'drizzle-orm';
import { resultEnv, type MeasureEnv } from '../../lib/env.ts';
import type { Answers } from '../../lib/answers.ts';
import type { Consensus } from '../../lib/matrix.ts';
import { disputedAnswersFiles, planParticipant, sharedInputs, type PlannedDay } from '../../lib/plan.ts';
import { inputVersion } from '../../lib/versions.ts';
import type { InputCandidate } from '../../lib/shared-input.ts';
import { computeStats } from '../../lib/stats.ts';
import { dbPath, openDb, type Db } from '../../db/client.ts';
import { clearHealth, setHealth } from '../../db/queries/health.ts';
import { listMatrixCells, listMatrixInputs } from '../../db/queries/matrix.ts';
import { recordImage } from '../../db/queries/participants.ts';
import { listDayResults, saveDayResult, type DayResultInput } from '../../db/queries/results.ts';
import { cycles } from '../../db/schema.ts';
import { loadInstance } from '../config-load.ts';
import { anchored, IMAGE_CONCURRENCY, openExecutor, resolveImage, sweep, syncAndLoad } from '../prepare/sync-and-images.ts';
import { runDay, type DayOutcome } from '../day/recipe.ts';
import { DaySandboxes, type AheadPolicy, type TrackedSession } from '../day/sandboxes.ts';
import type { Executor } from '../executor/types.ts';
import { hardwareSummary } from '../host/hardware.ts';
import { inputsDirCandidate, type ParticipantState } from '../prepare/participant-state.ts';
import { Profile, type ProfileReport } from '../report/profile.ts';
import { Progress } from '../report/progress.ts';
import { sessionSpec } from '../day/session-spec.ts';
import { UntimedWork } from '../day/untimed-work.ts';
import { matrix } from './matrix.ts';
import { hostFaultAfter, mayBeHostFault } from '../host/blame.ts';
import { settleDisputes } from './settle-disputes.ts';
import { imageKey, runQueuedDays } from '../queue/coordinator/time-jobs.ts';
import { Dispatcher } from '../queue/coordinator/dispatch.ts';
import { readImageIds } from '../queue/image-ids.ts';
import { measureSettings } from '../queue/job-content.ts';
import { queueResultKey } from '../queue/result-key.ts';

export interface BenchOptions {
  config?: string;
  participant?: string;
  day?: string;
  force?: boolean;
  noUpdate?: boolean;
  dryRun?: boolean;
  progress?: Progress;
  /** Where the days run; by default the instance's executor (`executor:` in its config). */
  executor?: Executor;
  /** The daemon handles SIGINT/SIGTERM itself (it records the job as interrupted). */
  handleSignals?: boolean;
  /** Aborted on shutdown: the run in flight was cut short by it and is not stored. */
  signal?: AbortSignal;
  /** Where the wall time goes; the command line passes one that counts its own start-up. */
  profile?: Profile;
  /** False: do not check an answers file every solver contradicts (the re-run of that check itself). */
  settle?: boolean;
}

export interface BenchJobResult {
  participant: string;
  day: number;
  reason: string;
  outcome?: DayOutcome;
  medianMs?: number | null;
  relCi?: number | null;
  /** Whose input the day ran on ("inputs": the instance's inputs dir). */
  inputSource?: string;
}

export interface BenchSummary {
  containers: number;
  jobs: BenchJobResult[];
  skipped: number;
  /** Selected participants that got no day run, and why (a config that does not parse, a repo or image that failed). */
  notRun: Array<{ participant: string; why: string }>;
  /** Where the wall time went (`aocbench bench --verbose` prints it). */
  profile: ProfileReport;
  /** The days ran on the queue's workers (`queue:`), not in this process's containers. */
  onWorkers?: boolean;
}

interface Job extends PlannedDay {
  state: ParticipantState;
  pid: number;
}

/**
 * Sandboxes started before their day, three at a time (see DaySandboxes): side
 * by side, Docker starts them about twice as fast as one after the other, and
 * more at once gained nothing measurable on 2 cores.
 */
const AHEAD: AheadPolicy = { ahead: 3, bursts: true };

function disputeMessage(own: Answers, d: Consensus): string {
  const show = (a: Answers) => `part 1 "${a.part1 ?? '-'}", part 2 "${a.part2 ?? '-'}"`;
  return `Your answers file (${show(own)}) disagrees with every solver: ${d.agree} of ${d.of} print ${show(d.answers)} on your input. It is not used as the shared input until it changes.`;
}

function toRow(job: Job, o: DayOutcome, startedAt: number, env: MeasureEnv): DayResultInput {
  const s = computeStats(o.samplesMs);
  return {
    participantId: job.pid,
    day: job.day,
    runAt: Date.now(),
    version: job.version,
    inputVersion: job.inputVersion,
    imageId: job.imageId,
    status: o.status,
    failedStep: o.failedStep,
    exitCode: o.exitCode,
    inputSource: job.input.source,
    samples: JSON.stringify(o.samplesMs.map((x) => Math.round(x * 1e6) / 1e6)),
    medianMs: s?.median ?? null,
    meanMs: s?.mean ?? null,
    minMs: s?.min ?? null,
    maxMs: s?.max ?? null,
    stddevMs: s?.stddev ?? null,
    ciLowMs: s?.ciLow ?? null,
    ciHighMs: s?.ciHigh ?? null,
    checkMs: o.checkMs,
    expected: JSON.stringify(job.input.answers),
    message: o.message,
    runonceOutput: o.runonceOutput,
    checkOutput: o.checkOutput,
    durationMs: Date.now() - startedAt,
    env: JSON.stringify(env),
  };
}

/**
 * One bench cycle: sync, load, decide what changed, run it, store it; then
 * settle an answers file every solver contradicts (settle-disputes.ts).
 */
export async function bench(opts: BenchOptions = {}): Promise<BenchSummary> {
  const first = await benchOnce(opts);
  if (opts.dryRun || opts.settle === false || opts.signal?.aborted) return first;
  const progress = opts.progress ?? new Progress();
  const again = { ...opts, progress, noUpdate: true, force: false, settle: false };
  return settleDisputes(first, progress, {
    matrix: (days) => matrix({ ...again, participant: undefined, day: days.join('|') }),
    rebench: (days) => bench({ ...again, day: days.join('|') }),
  });
}

async function benchOnce(opts: BenchOptions): Promise<BenchSummary> {
  const profile = opts.profile ?? new Profile();
  const opened = performance.now();
  const inst = loadInstance(opts.config);
  const progress = opts.progress ?? new Progress();
  // With a queue, the workers run the days (and own Docker); the coordinator only plans and stores.
  const remote = inst.config.queue && !opts.executor ? inst.config.queue : null;
  // A missing result key is said now, not after the sync and the plan: no queued result is stored without it.
  if (remote) queueResultKey(remote, process.env);
  const executor = remote ? null : await openExecutor(inst, opts.executor);
  const db = openDb(dbPath(inst.dataDir));
  const dRe = anchored(opts.day);
  const summary: BenchSummary = { containers: 0, jobs: [], skipped: 0, notRun: [], profile: profile.report() };
  // Ctrl-C or SIGTERM: remove the running sandbox; the stored results are whole (every write is one transaction).
  const stopped = new AbortController();
  const aborted = () => stopped.signal.aborted || !!opts.signal?.aborted;
  const onSignal = (sig: NodeJS.Signals) => {
    stopped.abort();
    progress.info(`${sig}: stopping, removing the running sandbox`);
    void (executor ? sweep(executor, inst) : Promise.resolve(0)).finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  if (opts.handleSignals !== false) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  const hardware = opts.dryRun ? {} : executor ? await hardwareSummary(executor) : { executor: 'queue', hardwareClass: inst.config.queue!.hardwareClass };
  const cycle = opts.dryRun ? null : db.insert(cycles).values({ startedAt: Date.now(), hardware: JSON.stringify(hardware) }).returning().get();
  let sandboxes: DaySandboxes | null = null;
  try {
    const stale = executor ? await sweep(executor, inst) : 0;
    if (stale) progress.info(`removed ${stale} sandbox(es) left by an interrupted run`);
    profile.add('open', performance.now() - opened);
    const states = await profile.time('sync', () => syncAndLoad(inst, db, opts, progress, profile));
    const planned = performance.now();
    const valid = states.filter(({ state }) => state.config);
    for (const { state, selected } of states) {
      if (selected && !state.config) summary.notRun.push({ participant: state.entry.name, why: state.validation.messages.join(' ') });
    }
    const inputsDir = new Map<number, InputCandidate | null>();
    for (let day = 1; day <= inst.config.days; day++) inputsDir.set(day, await inputsDirCandidate(inst.inputsDir, day, inst.config.ignoreAnswers));
    // An answers file the last matrix run contradicts is passed over as the shared input, and its owner is told.
    const current = new Map(valid.map(({ state }) => [state.entry.name, state]));
    const disputes = disputedAnswersFiles({ cells: listMatrixCells(db), inputs: listMatrixInputs(db) }, (day, name) => {
      const info = current.get(name)?.days.get(day);
      return info?.input ? inputVersion(info.input, info.answers) : null;
    });
    const shared = sharedInputs(inst.config.days, inputsDir, valid.map(({ state }) => ({ ...state.entry, days: state.days })), (day, name) => disputes.has(`${day}/${name}`));
    if (!opts.dryRun) {
      inOneTransaction(db, () => {
        for (const { state, pid } of valid) {
          for (const day of state.days.keys()) {
            const d = disputes.get(`${day}/${state.entry.name}`);
            if (!d) clearHealth(db, pid, day, 'answers');
            else setHealth(db, pid, day, 'answers', 'warning', disputeMessage(state.days.get(day)!.answers, d));
          }
        }
      });
    }
    profile.add('plan', performance.now() - planned);

    const jobs: Job[] = [];
    // Images are built or pulled a few at a time, all before the first timed run: no build competes with timing.
    // `image:` references as the workers see them now (see queue/image-ids.ts).
    const imageIds = remote ? await readImageIds(remote, (m) => progress.info(m)) : {};
    const builds = new PQueue({ concurrency: IMAGE_CONCURRENCY });
    // A build can take minutes: say whose image is being made.
    const preparing = (state: ParticipantState) => {
      progress.info(`${state.entry.name}: preparing its image (${state.config!.image ?? state.config!.dockerfile[0]})`);
      return resolveImage(executor!, inst, state, !!opts.dryRun);
    };
    const selected = valid.filter(({ selected }) => selected);
    const images = await profile.time('image', () =>
      Promise.all(selected.map(({ state }) => builds.add(() => profile.time('image', () => (executor ? preparing(state) : Promise.resolve(imageKey(state, imageIds))), true)))),
    );
    // An image that failed because Docker went away is the host's, not the participant's.
    const failedImage = executor && images.find((i) => !i.ok);
    if (failedImage) {
      const host = await hostFaultAfter(executor, `image ${failedImage.ref}`);
      if (host) throw host;
    }
    const planning = performance.now();
    // Printed after the commit: a progress line may be written to the jobs table on another connection, which waits on this transaction.
    const later: string[] = [];
    inOneTransaction(db, () => {
      for (const [n, { state, pid }] of selected.entries()) {
        const image = images[n];
        if (!opts.dryRun) recordImage(db, pid, { ok: image.ok, kind: image.kind, ref: image.ref, imageId: image.imageId, built: image.built, log: image.log });
        if (!image.ok || !image.imageId) {
          if (!opts.dryRun) setHealth(db, pid, 0, 'image', 'error', `Image ${image.ref} is not usable.`, image.log);
          later.push(`${state.entry.name}: image ${image.ref} is not usable, skipping`);
          summary.notRun.push({ participant: state.entry.name, why: `image ${image.ref} is not usable: ${image.log.trim().split('\n').pop()}` });
          continue;
        }
        if (!opts.dryRun) setHealth(db, pid, 0, 'image', 'ok', image.built ? `Built ${image.ref}.` : `Using ${image.ref}.`, image.log);
        const stored = new Map(listDayResults(db, [pid]).map((r) => [r.day, r]));
        const plan = planParticipant({ ...state.entry, days: state.days }, { imageId: image.imageId, shared, stored, force: !!opts.force, selectDay: (d) => !dRe || dRe.test(String(d)) });
        for (const h of plan.health) setHealth(db, pid, h.day, 'day', h.level, h.message, h.detail);
        summary.skipped += plan.skipped;
        jobs.push(...plan.days.map((d) => ({ ...d, state, pid })));
      }
    });
    for (const line of later) progress.info(line);
    profile.add('plan', performance.now() - planning);

    progress.plan(jobs.length, jobs.reduce((a, j) => a + j.estimateMs, 0));
    if (opts.dryRun) {
      for (const j of jobs) progress.info(`would run ${j.state.entry.name} day ${j.day}: ${j.reason}`);
      summary.jobs = jobs.map((j) => ({ participant: j.state.entry.name, day: j.day, reason: j.reason }));
      return summary;
    }

    // One day's result, whoever ran it: stored with its health in one transaction, reported, summarised.
    const record = (job: Job, outcome: DayOutcome, started: number, env: MeasureEnv) => {
      const storing = performance.now();
      inOneTransaction(db, () => {
        saveDayResult(db, toRow(job, outcome, started, env));
        setHealth(db, job.pid, job.day, 'run', outcome.status === 'correct' || outcome.status === 'unchecked' ? 'ok' : 'error', outcome.message ?? `${outcome.status}`, outcome.checkOutput);
      });
      profile.add('storage', performance.now() - storing);
      progress.finished(job.estimateMs);
      const stats = computeStats(outcome.samplesMs);
      progress.info(`  ${job.state.entry.name} day ${job.day}: ${outcome.status}${stats ? ` median ${stats.median.toFixed(3)} ms ±${(stats.relCi * 100).toFixed(1)}% (${stats.n} runs)` : outcome.message ? ` — ${outcome.message}` : ''}`);
      summary.jobs.push({ participant: job.state.entry.name, day: job.day, reason: job.reason, outcome, medianMs: stats?.median ?? null, relCi: stats?.relCi ?? null, inputSource: job.input.source });
    };
    if (remote) {
      summary.onWorkers = true;
      const unknownEnv: MeasureEnv = { executor: 'unknown', hardwareClass: remote.hardwareClass };
      const queue = new Dispatcher(remote, (m) => progress.info(m), measureSettings(inst.config));
      try {
        const notRun = (job: Job, why: string) => {
          setHealth(db, job.pid, job.day, 'worker', 'warning', `${why} The last stored result is kept.`);
          progress.info(`  ${job.state.entry.name} day ${job.day}: ${why}`);
          summary.notRun.push({ participant: job.state.entry.name, why: `day ${job.day}: ${why}` });
        };
        await runQueuedDays(queue, jobs, (job, outcome, env, started, imageProblem) => {
          clearHealth(db, (job as Job).pid, job.day, 'worker');
          // The image is built or pulled on the worker: its failure is the participant's, shown as a local one is.
          if (imageProblem) setHealth(db, (job as Job).pid, 0, 'image', 'error', `Image ${imageProblem.ref} is not usable (on worker ${imageProblem.host}).`, imageProblem.log);
          // An `image:` participant's result keeps the id the worker ran, which the next plan compares with.
          const ran = job.state.config?.image && env?.imageId ? { ...(job as Job), imageId: env.imageId } : (job as Job);
          record(ran, outcome, started, env ?? unknownEnv);
        }, (job, why) => notRun(job as Job, why), progress, { force: opts.force, signal: opts.signal });
      } finally {
        await queue.close();
      }
      return summary;
    }
    const local = executor!;
    const days = new DaySandboxes(local, new UntimedWork(), profile, jobs.map((job) => () => sessionSpec(inst, job.state, job.imageId, job.day)), AHEAD, (m) => progress.info(m));
    sandboxes = days;
    for (const [n, job] of jobs.entries()) {
      const name = job.state.entry.name;
      const started = Date.now();
      progress.step(name, job.day, 'starting the sandbox', job.reason);
      let outcome: DayOutcome;
      let session: TrackedSession | null = null;
      try {
        // The following days' sandboxes start while this day is in its untimed steps; this day's timed runs wait for them.
        session = await days.take(n);
        const info = job.state.days.get(job.day)!;
        const tracked = session;
        outcome = await runDay(tracked, {
          config: job.state.config!, year: inst.config.year, day: job.day, memoryMb: inst.config.limits.memoryMb, runonceNetwork: job.state.entry.runonceNetwork,
          inputPath: info.inputPath!, input: job.input.input!, answers: job.input.answers, repeat: inst.config.repeat,
          onStep: (step, detail) => {
            tracked.step = step;
            progress.step(name, job.day, step, detail);
          },
        });
      } catch (e) {
        outcome = { status: 'error', failedStep: null, exitCode: null, samplesMs: [], checkMs: null, message: `could not run: ${(e as Error).message}`, runonceOutput: null, checkOutput: null };
      } finally {
        if (session) days.release(n, session.inner);
      }
      if (aborted()) break; // the sandbox was removed under the run: its outcome says nothing about the code
      // A sandbox that died with the host says nothing about the code either: the run stops, nothing is stored for this day.
      if (mayBeHostFault(outcome.status)) {
        const host = await hostFaultAfter(local, `${name} day ${job.day} (${outcome.message ?? outcome.status})`);
        if (host) throw host;
      }
      record(job, outcome, started, resultEnv(hardware, job.imageId));
    }
    return summary;
  } finally {
    await sandboxes?.drain();
    summary.containers = sandboxes?.started ?? 0;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    const closing = performance.now();
    if (cycle) db.update(cycles).set({ finishedAt: Date.now(), containers: summary.containers, daysRun: summary.jobs.length }).where(eq(cycles.id, cycle.id)).run();
    db.$client.close();
    profile.add('storage', performance.now() - closing);
    summary.profile = profile.report();
  }
}

/** Writes that belong together (a day's result and its health) in one transaction: one commit instead of several. */
function inOneTransaction(db: Db, write: () => void): void {
  db.$client.transaction(write)();
}
