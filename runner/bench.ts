import Docker from 'dockerode';
import PQueue from 'p-queue';
import type { Answers } from '../lib/answers.ts';
import { chooseSharedInput, type InputCandidate } from '../lib/shared-input.ts';
import { computeStats } from '../lib/stats.ts';
import { inputVersion } from '../lib/versions.ts';
import { dbPath, openDb } from '../db/client.ts';
import { setHealth } from '../db/queries/health.ts';
import { recordImage } from '../db/queries/participants.ts';
import { getDayResult, saveDayResult, type DayResultInput, type DayResultRow } from '../db/queries/results.ts';
import { cycles } from '../db/schema.ts';
import { eq } from 'drizzle-orm';
import { loadInstance } from './config-load.ts';
import { anchored, removeStaleContainers, resolveImage, syncAndLoad } from './prepare.ts';
import { runDay, type DayOutcome } from './day-run.ts';
import { DockerExecutor } from './executor/docker.ts';
import type { Session } from './executor/types.ts';
import { hardwareSummary } from './hardware.ts';
import { inputsDirCandidate, type ParticipantState } from './participant-state.ts';
import { Progress } from './progress.ts';
import { startDaySession } from './session-spec.ts';

export interface BenchOptions {
  config?: string;
  participant?: string;
  day?: string;
  force?: boolean;
  noUpdate?: boolean;
  dryRun?: boolean;
  progress?: Progress;
  docker?: Docker;
  /** The daemon handles SIGINT/SIGTERM itself (it records the job as interrupted). */
  handleSignals?: boolean;
  /** Aborted on shutdown: the run in flight was cut short by it and is not stored. */
  signal?: AbortSignal;
}

export interface BenchJobResult {
  participant: string;
  day: number;
  reason: string;
  outcome?: DayOutcome;
  medianMs?: number | null;
  relCi?: number | null;
}

export interface BenchSummary {
  containers: number;
  jobs: BenchJobResult[];
  skipped: number;
}

interface Job {
  state: ParticipantState;
  pid: number;
  day: number;
  image: string;
  imageId: string;
  input: InputCandidate;
  inputVersion: string;
  version: string;
  reason: string;
  estimateMs: number;
}

/** Image builds and pulls in parallel; timed runs are strictly one at a time. */
const IMAGE_CONCURRENCY = 2;

/** Why a day must run, or null when its stored result still holds. */
export function rerunReason(stored: DayResultRow | undefined, key: { version: string; inputVersion: string; imageId: string }, force: boolean): string | null {
  if (force) return 'forced';
  if (!stored) return 'new';
  if (stored.version !== key.version) return 'code changed';
  if (stored.inputVersion !== key.inputVersion) return 'input changed';
  if (stored.imageId !== key.imageId) return 'image changed';
  return null;
}

function inputFor(shared: InputCandidate | null, own: { input: string | null; answers: Answers }, name: string): InputCandidate | null {
  if (shared) return shared;
  if (own.input?.trim()) return { source: name, input: own.input, answers: own.answers };
  return null;
}

function toRow(job: Job, o: DayOutcome, startedAt: number): DayResultInput {
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
  };
}

/** One bench cycle: sync, load, decide what changed, run it, store it. */
export async function bench(opts: BenchOptions = {}): Promise<BenchSummary> {
  const inst = loadInstance(opts.config);
  const progress = opts.progress ?? new Progress();
  const docker = opts.docker ?? new Docker();
  try {
    await docker.ping();
  } catch (e) {
    throw new Error(`cannot reach the Docker daemon (${(e as Error).message}); is dockerd running and is this user allowed to use it?`);
  }
  const db = openDb(dbPath(inst.dataDir));
  const dRe = anchored(opts.day);
  const summary: BenchSummary = { containers: 0, jobs: [], skipped: 0 };
  // Ctrl-C or SIGTERM: remove the running container; the stored results are whole (every write is one transaction).
  const stopped = new AbortController();
  const aborted = () => stopped.signal.aborted || !!opts.signal?.aborted;
  const onSignal = (sig: NodeJS.Signals) => {
    stopped.abort();
    progress.info(`${sig}: stopping, removing the running container`);
    void removeStaleContainers(docker, inst.dataDir).finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  if (opts.handleSignals !== false) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  const cycle = opts.dryRun ? null : db.insert(cycles).values({ startedAt: Date.now(), hardware: JSON.stringify(await hardwareSummary(docker)) }).returning().get();
  try {
    const stale = await removeStaleContainers(docker, inst.dataDir);
    if (stale) progress.info(`removed ${stale} container(s) left by an interrupted run`);
    const states = await syncAndLoad(inst, db, opts, progress);

    const shared = new Map<number, InputCandidate | null>();
    for (let day = 1; day <= inst.config.days; day++) {
      const candidates = states
        .filter(({ state }) => state.config && !state.entry.ignoreInputs.includes(day))
        .map(({ state }) => ({ source: state.entry.name, input: state.days.get(day)?.input ?? null, answers: state.days.get(day)?.answers ?? { part1: null, part2: null } }));
      shared.set(day, chooseSharedInput(await inputsDirCandidate(inst.inputsDir, day, inst.config.ignoreAnswers), candidates));
    }

    const jobs: Job[] = [];
    // Images are built or pulled a few at a time, all before the first timed run: no build competes with timing.
    const builds = new PQueue({ concurrency: IMAGE_CONCURRENCY });
    const images = new Map(
      await Promise.all(
        states.filter(({ state, selected }) => selected && state.config).map(({ state }) => builds.add(async () => [state, await resolveImage(docker, inst, state, !!opts.dryRun)] as const)),
      ),
    );
    for (const { state, pid, selected } of states) {
      if (!selected || !state.config) continue;
      const image = images.get(state)!;
      if (!opts.dryRun) recordImage(db, pid, { ok: image.ok, kind: image.kind, ref: image.ref, imageId: image.imageId, built: image.built, log: image.log });
      if (!image.ok || !image.imageId) {
        if (!opts.dryRun) setHealth(db, pid, 0, 'image', 'error', `Image ${image.ref} is not usable.`, image.log);
        progress.info(`${state.entry.name}: image ${image.ref} is not usable, skipping`);
        continue;
      }
      if (!opts.dryRun) setHealth(db, pid, 0, 'image', 'ok', image.built ? `Built ${image.ref}.` : `Using ${image.ref}.`, image.log);
      for (const [day, info] of state.days) {
        if (dRe && !dRe.test(String(day))) continue;
        const detail = JSON.stringify({
          exists: info.exists, wip: info.wip, version: info.version, inputPath: info.inputPath, answerPath: info.answerPath,
          hasInput: !!info.input?.trim(), hasPart1: info.answers.part1 !== null, hasPart2: info.answers.part2 !== null,
        });
        const dayHealth = (level: 'ok' | 'warning' | 'error', message: string) => setHealth(db, pid, day, 'day', level, message, detail);
        if (state.entry.ignoreDays.includes(day)) {
          dayHealth('warning', 'Ignored by the admin (instance config).');
          continue;
        }
        if (!info.exists || !info.version) {
          dayHealth('ok', 'Not present in the repository.');
          continue;
        }
        if (info.wip) {
          dayHealth('warning', 'Work in progress (.wip or .nobench): not benchmarked; earlier results stay as history.');
          continue;
        }
        if (info.problem || !info.inputPath) {
          dayHealth('error', info.problem ?? 'No input path.');
          continue;
        }
        const input = inputFor(shared.get(day) ?? null, info, state.entry.name);
        if (!input) {
          dayHealth('warning', 'No input for this day: nobody has committed an input with answers, and neither has this participant.');
          continue;
        }
        const note = state.entry.ignoreInputs.includes(day) ? ' Its own input is not used by others (admin).' : '';
        dayHealth(note ? 'warning' : 'ok', `${input.source === state.entry.name ? 'Present; runs on its own input.' : `Present; runs on the shared input from ${input.source}.`}${note}`);
        const key = { version: info.version, inputVersion: inputVersion(input.input!, input.answers), imageId: image.imageId };
        const stored = getDayResult(db, pid, day);
        const reason = rerunReason(stored, key, !!opts.force);
        if (!reason) {
          summary.skipped++;
          continue;
        }
        jobs.push({ state, pid, day, image: image.imageId, input, ...key, reason, estimateMs: stored?.durationMs ?? 5000 });
      }
    }

    progress.plan(jobs.length, jobs.reduce((a, j) => a + j.estimateMs, 0));
    if (opts.dryRun) {
      for (const j of jobs) progress.info(`would run ${j.state.entry.name} day ${j.day}: ${j.reason}`);
      summary.jobs = jobs.map((j) => ({ participant: j.state.entry.name, day: j.day, reason: j.reason }));
      return summary;
    }

    const executor = new DockerExecutor(docker);
    for (const job of jobs) {
      const name = job.state.entry.name;
      const started = Date.now();
      progress.step(name, job.day, 'starting container', job.reason);
      let outcome: DayOutcome;
      let session: Session | null = null;
      try {
        session = await startDaySession(executor, inst, job.state, job.image, job.day);
        summary.containers++;
        const info = job.state.days.get(job.day)!;
        outcome = await runDay(session, {
          config: job.state.config!, year: inst.config.year, day: job.day,
          inputPath: info.inputPath!, input: job.input.input!, answers: job.input.answers, repeat: inst.config.repeat,
          onStep: (step, detail) => progress.step(name, job.day, step, detail),
        });
      } catch (e) {
        outcome = { status: 'error', failedStep: null, exitCode: null, samplesMs: [], checkMs: null, message: `could not run: ${(e as Error).message}`, runonceOutput: null, checkOutput: null };
      } finally {
        await session?.close();
      }
      if (aborted()) break; // the container was removed under the run: its outcome says nothing about the code
      const row = toRow(job, outcome, started);
      saveDayResult(db, row);
      setHealth(db, job.pid, job.day, 'run', outcome.status === 'correct' || outcome.status === 'unchecked' ? 'ok' : 'error', outcome.message ?? `${outcome.status}`, outcome.checkOutput);
      progress.finished(job.estimateMs);
      const stats = computeStats(outcome.samplesMs);
      progress.info(`  ${name} day ${job.day}: ${outcome.status}${stats ? ` median ${stats.median.toFixed(3)} ms ±${(stats.relCi * 100).toFixed(1)}% (${stats.n} runs)` : outcome.message ? ` — ${outcome.message}` : ''}`);
      summary.jobs.push({ participant: name, day: job.day, reason: job.reason, outcome, medianMs: stats?.median ?? null, relCi: stats?.relCi ?? null });
    }
    return summary;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (cycle) db.update(cycles).set({ finishedAt: Date.now(), containers: summary.containers, daysRun: summary.jobs.length }).where(eq(cycles.id, cycle.id)).run();
    db.$client.close();
  }
}
