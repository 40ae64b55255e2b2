import type { MeasureEnv } from '../../lib/env.ts';
import type { Answers } from '../../lib/answers.ts';
import type { Consensus } from '../../lib/matrix.ts';
import { planParticipant } from '../../lib/plan.ts';
import { anchored } from '../../lib/select.ts';
import { computeStats } from '../../lib/stats.ts';
import { openSeasonDb, type Db } from '../../db/client.ts';
import { storeDefaultBoard } from '../../db/queries/board.ts';
import { finishCycle, startCycle } from '../../db/queries/cycles.ts';
import { clearHealth, setHealth } from '../../db/queries/health.ts';
import { recordImage } from '../../db/queries/participants.ts';
import { sampleColumns, saveDayResult, storedRuns, type DayResultInput } from '../../db/queries/results.ts';
import { loadInstance, type LoadedInstance } from '../../db/instance.ts';
import type { ImageOutcome } from '../executor/types.ts';
import { currentSharedInputs, type SharedInputs } from '../prepare/shared-inputs.ts';
import { syncAndLoad, type LoadedParticipant } from '../prepare/sync-and-load.ts';
import type { BenchSummary, DayJob, DayOutcome } from '../records.ts';
import { Profile } from '../report/profile.ts';
import { Progress } from '../report/progress.ts';
import { openRunway } from '../runway/open.ts';
import type { DayResult, DaySink } from '../runway/types.ts';
import { newsBefore, queueNews, sendNewsNow } from '../notify/news-step.ts';
import { matrix } from './matrix.ts';
import type { CycleOptions } from './options.ts';
import { settleDisputes } from './settle-disputes.ts';
import { eachSeason } from './seasons.ts';

export interface BenchOptions extends CycleOptions {
  dryRun?: boolean;
  /** The daemon handles SIGINT/SIGTERM itself (it records the job as interrupted). */
  handleSignals?: boolean;
  /** False: do not check an answers file every solver contradicts (the re-run of that check itself). */
  settle?: boolean;
}

type Loaded = LoadedParticipant;

/**
 * One bench cycle: sync, load, decide what changed, hand it to the runway,
 * store what comes back; then settle an answers file every solver
 * contradicts (settle-disputes.ts).
 */
export async function bench(opts: BenchOptions = {}): Promise<BenchSummary> {
  if (opts.season === undefined) {
    const progress = opts.progress ?? new Progress();
    const profile = opts.profile ?? new Profile();
    return eachSeason({ ...opts, progress, profile }, benchSeason, addSummaries, seasonLabel);
  }
  return benchSeason({ ...opts, season: opts.season });
}

/** Two seasons' summaries as one. */
function addSummaries(a: BenchSummary, b: BenchSummary): BenchSummary {
  return { containers: a.containers + b.containers, jobs: [...a.jobs, ...b.jobs], skipped: a.skipped + b.skipped, notRun: [...a.notRun, ...b.notRun], profile: b.profile, onWorkers: a.onWorkers || b.onWorkers };
}

/** A season's summary whose lines name it ("Ada (2023)"), beside the other seasons'. */
function seasonLabel(s: BenchSummary, season: number): BenchSummary {
  const named = <T extends { participant: string }>(x: T) => ({ ...x, participant: `${x.participant} (${season})` });
  return { ...s, jobs: s.jobs.map(named), notRun: s.notRun.map(named) };
}

/** One season's cycle. */
async function benchSeason(opts: BenchOptions & { season: number }): Promise<BenchSummary> {
  // The news of the whole cycle (its settling re-runs included): one message per target, after the timing.
  const news = opts.dryRun || opts.settle === false ? null : await withNews(opts.config, opts.season);
  const first = await benchOnce(opts);
  if (opts.dryRun || opts.settle === false || opts.signal?.aborted) return first;
  const progress = opts.progress ?? new Progress();
  const again = { ...opts, progress, noUpdate: true, force: false, settle: false };
  const summary = await settleDisputes(first, progress, {
    matrix: (days) => matrix({ ...again, participant: undefined, day: days.join('|') }),
    rebench: (days) => bench({ ...again, day: days.join('|') }),
  });
  await news?.(progress);
  return summary;
}

/** Reads the board's state now; the function it returns queues what changed since and sends it (never throws). */
async function withNews(config: string | undefined, season: number): Promise<((progress: Progress) => Promise<void>) | null> {
  const inst = loadInstance(config, season);
  const db = openSeasonDb(inst);
  try {
    let before: ReturnType<typeof newsBefore>;
    try {
      before = newsBefore(db, inst);
    } catch {
      // News is never worth a benchmark: without the state before, this cycle sends none.
      return null;
    }
    if (!before) return null;
    return async (progress) => {
      const db = openSeasonDb(inst);
      try {
        const events = queueNews(db, inst, before);
        if (events.length) progress.info(`news: ${events.length} event(s) for the configured targets`);
        const sent = await sendNewsNow(db);
        for (const e of sent.errors) progress.info(`news not delivered: ${e}`);
      } catch (e) {
        progress.info(`news: ${(e as Error).message}`);
      } finally {
        db.$client.close();
      }
    };
  } finally {
    db.$client.close();
  }
}

async function benchOnce(opts: BenchOptions): Promise<BenchSummary> {
  const profile = opts.profile ?? new Profile();
  const opened = performance.now();
  const inst = loadInstance(opts.config, opts.season);
  const progress = opts.progress ?? new Progress();
  const stopped = new AbortController();
  const signal = AbortSignal.any([stopped.signal, ...(opts.signal ? [opts.signal] : [])]);
  const runway = await openRunway(inst, { progress, profile, signal, force: !!opts.force }, opts.executor);
  const db = openSeasonDb(inst);
  const summary: BenchSummary = { containers: 0, jobs: [], skipped: 0, notRun: [], profile: profile.report() };
  // Ctrl-C or SIGTERM: remove the running sandbox; the stored results are whole (every write is one transaction).
  const onSignal = (sig: NodeJS.Signals) => {
    stopped.abort();
    progress.info(`${sig}: stopping, removing the running sandbox`);
    void runway.sweep().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  if (opts.handleSignals !== false) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  const cycle = opts.dryRun ? null : startCycle(db, await runway.hardware());
  try {
    const stale = await runway.sweep();
    if (stale) progress.info(`removed ${stale} sandbox(es) left by an interrupted run`);
    profile.add('open', performance.now() - opened);
    const states = await profile.time('sync', () => syncAndLoad(inst, db, opts, progress, profile));
    const planned = performance.now();
    const valid = states.filter(({ state }) => state.config);
    for (const { state, selected } of states) {
      if (selected && !state.config) summary.notRun.push({ participant: state.entry.name, why: state.validation.messages.join(' ') });
    }
    const shared = await planShared(db, inst, valid, !!opts.dryRun);
    profile.add('plan', performance.now() - planned);
    const selected = valid.filter(({ selected }) => selected);
    // Images are built or pulled a few at a time, all before the first timed run: no build competes with timing.
    const images = await runway.images(selected.map(({ state }) => state), { dryRun: !!opts.dryRun, announce: true });
    const jobs = profile.timeSync('plan', () => planDays(db, selected, images, shared, opts, summary, progress));
    progress.plan(jobs.length, jobs.reduce((a, j) => a + j.estimateMs, 0));
    if (opts.dryRun) {
      for (const j of jobs) progress.info(`would run ${j.state.entry.name} day ${j.day}: ${j.reason}`);
      summary.jobs = jobs.map((j) => ({ participant: j.state.entry.name, day: j.day, reason: j.reason }));
      return summary;
    }
    if (runway.onWorkers) summary.onWorkers = true;
    await runway.runDays(jobs, storing(db, summary, progress, profile));
    return summary;
  } finally {
    await runway.close();
    summary.containers = runway.containers;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    profile.timeSync('storage', () => {
      if (cycle !== null) finishCycle(db, cycle, { containers: summary.containers, daysRun: summary.jobs.length });
      // Results changed: rank the board now, while nothing is timed, so the site's next view reads it (a failure only costs that view the work).
      if (cycle !== null && summary.jobs.length) {
        try {
          storeDefaultBoard(db, { podium: inst.config.podium, configuredClass: inst.config.queue?.hardwareClass });
        } catch (e) {
          progress.info(`could not store the board's ranking for the site: ${(e as Error).message}`);
        }
      }
      db.$client.close();
    });
    summary.profile = profile.report();
  }
}

function disputeMessage(own: Answers, d: Consensus): string {
  const show = (a: Answers) => `part 1 "${a.part1 ?? '-'}", part 2 "${a.part2 ?? '-'}"`;
  return `Your answers file (${show(own)}) disagrees with every solver: ${d.agree} of ${d.of} print ${show(d.answers)} on your input. It is not used as the shared input until it changes.`;
}

/** Each day's shared input; the owner of an answers file the last matrix run contradicts is told (health "answers"). */
async function planShared(db: Db, inst: LoadedInstance, valid: Loaded[], dryRun: boolean): Promise<SharedInputs> {
  const { shared, disputes } = await currentSharedInputs(db, inst, valid.map(({ state }) => state));
  if (dryRun) return shared;
  inOneTransaction(db, () => {
    for (const { state, pid } of valid) {
      for (const day of state.days.keys()) {
        const d = disputes.get(`${day}/${state.entry.name}`);
        if (!d) clearHealth(db, pid, day, 'answers');
        else setHealth(db, pid, day, 'answers', 'warning', disputeMessage(state.days.get(day)!.answers, d));
      }
    }
  });
  return shared;
}

/** The days to run: each selected participant's image recorded, and its changed days planned against what is stored. */
function planDays(db: Db, selected: Loaded[], images: ImageOutcome[], shared: SharedInputs, opts: BenchOptions, summary: BenchSummary, progress: Progress): DayJob[] {
  const dRe = anchored(opts.day);
  const jobs: DayJob[] = [];
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
      const stored = storedRuns(db, pid);
      const plan = planParticipant({ ...state.entry, days: state.days }, { imageId: image.imageId, shared, stored, force: !!opts.force, selectDay: (d) => !dRe || dRe.test(String(d)) });
      for (const h of plan.health) setHealth(db, pid, h.day, 'day', h.level, h.message, h.detail, h.wip);
      summary.skipped += plan.skipped;
      jobs.push(...plan.days.map((d) => ({ ...d, state, pid })));
    }
  });
  for (const line of later) progress.info(line);
  return jobs;
}

/** Where the runway's results go: each day stored with its health in one transaction as it arrives, reported, summarised. */
function storing(db: Db, summary: BenchSummary, progress: Progress, profile: Profile): DaySink {
  return {
    ran(job, r) {
      // An `image:` participant's result keeps the id it ran in (a worker's pull), which the next plan compares with.
      const ran = job.state.config?.image && r.env.imageId ? { ...job, imageId: r.env.imageId } : job;
      const { outcome } = r;
      profile.timeSync('storage', () =>
        inOneTransaction(db, () => {
          saveDayResult(db, toRow(ran, r));
          clearHealth(db, job.pid, job.day, 'worker');
          // The image is built or pulled where the day ran: its failure there is the participant's, shown as a local one is.
          const bad = r.imageProblem;
          if (bad) setHealth(db, job.pid, 0, 'image', 'error', `Image ${bad.ref} is not usable (on worker ${bad.host}).`, bad.log);
          setHealth(db, job.pid, job.day, 'run', outcome.status === 'correct' || outcome.status === 'unchecked' ? 'ok' : 'error', outcome.message ?? `${outcome.status}`, outcome.checkOutput);
        }),
      );
      const stats = computeStats(outcome.samplesMs);
      // Said before the day counts as done: the line carries this day's [n/N].
      progress.info(`  ${job.state.entry.name} day ${job.day}: ${outcome.status}${stats ? ` median ${stats.median.toFixed(3)} ms ±${(stats.relCi * 100).toFixed(1)}% (${stats.n} runs)` : outcome.message ? ` — ${outcome.message}` : ''}`);
      progress.finished(job.estimateMs);
      summary.jobs.push({ participant: job.state.entry.name, day: job.day, reason: job.reason, outcome, medianMs: stats?.median ?? null, relCi: stats?.relCi ?? null, inputSource: job.input.source });
    },
    notRun(job, why) {
      setHealth(db, job.pid, job.day, 'worker', 'warning', `${why} The last stored result is kept.`);
      progress.info(`  ${job.state.entry.name} day ${job.day}: ${why}`);
      summary.notRun.push({ participant: job.state.entry.name, why: `day ${job.day}: ${why}` });
    },
  };
}

function toRow(job: DayJob, r: DayResult): DayResultInput {
  const o: DayOutcome = r.outcome;
  return {
    participantId: job.pid, day: job.day, runAt: Date.now(), version: job.version, inputVersion: job.inputVersion, imageId: job.imageId,
    status: o.status, failedStep: o.failedStep, exitCode: o.exitCode, inputSource: job.input.source,
    ...sampleColumns(o.samplesMs, o.usage, o.meter ?? null), stopReason: o.stopReason ?? null,
    checkMs: o.checkMs, expected: JSON.stringify(job.input.answers), message: o.message, runonceOutput: o.runonceOutput, checkOutput: o.checkOutput,
    durationMs: Date.now() - r.startedAt, env: JSON.stringify(r.env satisfies MeasureEnv),
  };
}

/** Writes that belong together (a day's result and its health) in one transaction: one commit instead of several. */
function inOneTransaction(db: Db, write: () => void): void {
  db.$client.transaction(write)();
}
