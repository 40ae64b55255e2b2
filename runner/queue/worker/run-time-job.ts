import { hostname } from 'node:os';
import { resultEnv, type MeasureEnv } from '../../../lib/env.ts';
import type { ParticipantEntry } from '../../../lib/instance-config.ts';
import type { LoadedInstance } from '../../../db/instance.ts';
import { daySetup, runDay } from '../../day/recipe.ts';
import { errorOutcome, type DayOutcome } from '../../records.ts';
import { SandboxError, type Executor, type Limits, type Session } from '../../executor/types.ts';
import { hostFault } from './host-fault.ts';
import { mayBeHostFault } from '../../host/blame.ts';
import { syncRepo } from '../../git/sync.ts';
import { gitLimits } from '../../git/env.ts';
import { loadParticipantState, repoDirOf, type ParticipantState } from '../../prepare/participant-state.ts';
import { Profile } from '../../report/profile.ts';
import { resolveImage } from '../../prepare/images.ts';
import { startDaySession } from '../../day/session-spec.ts';
import type { ImageSightings } from '../image-ids.ts';
import { withSettings, type InputStore } from '../job-content.ts';
import type { TimeJobData, TimeJobResult } from '../payload.ts';

const SYNCED_KEPT = 8;
/** A failed build's log travels back this far from its end (its last lines say why). */
const IMAGE_LOG_KEPT = 16_000;
const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** A worker's own account of where it measures, stamped on every result it returns. */
export interface WorkerContext {
  inst: LoadedInstance;
  executor: Executor;
  /** Where it measures, for sessions with a job's limits (a VM guest's memory follows them). */
  hardware: (limits: Pick<Limits, 'memoryMb'>) => Promise<Record<string, unknown>>;
  hardwareClass: string;
  /** Where the jobs' inputs are, by hash. */
  inputs: InputStore;
  /** Tells the coordinator which image each `image:` reference is here. */
  images?: ImageSightings;
  /**
   * Each participant's last synced commit and what was read from it. Only this
   * worker touches its checkouts (one worker per data dir), so the next job
   * at the same commit (the matrix sends one per day) needs no git at all.
   */
  synced: Map<string, { commit: string; state: ParticipantState; imageId?: string }>;
}

/** A participant's synced state is its season's (its year, its folder). */
export const syncKey = (inst: LoadedInstance, name: string) => `${inst.season}/${name}`;

/** The image resolved for a participant's synced commit: a sandbox started ahead uses it. */
export async function rememberImage(ctx: WorkerContext, inst: LoadedInstance, state: ParticipantState, commit: string, imageId: string): Promise<void> {
  const known = ctx.synced.get(syncKey(inst, state.entry.name));
  if (known?.commit === commit) known.imageId = imageId;
  // Before the result goes back: the coordinator's next plan then knows the id this day ran with.
  if (state.config?.image) await ctx.images?.saw(state.config.image, imageId);
}

/** A job's input, or a host problem: it expired from Redis (the next cycle sends it again). */
export async function jobInput(ctx: WorkerContext, hash: string): Promise<string> {
  const text = await ctx.inputs.fetch(hash);
  if (text === null) throw new HostProblem(`input ${hash.slice(0, 12)} is no longer in the queue (it expires after a week); the next run sends it again`);
  return text;
}


/**
 * The participant's committed content at exactly the planned commit, in
 * this worker's own checkout (its own data dir, as on another host), or why not.
 */
export async function participantAt(ctx: WorkerContext, inst: LoadedInstance, name: string, commit: string): Promise<{ entry: ParticipantEntry; state: ParticipantState } | { problem: string }> {
  const entry = inst.config.participants.find((p) => p.name === name);
  if (!entry) return { problem: `this worker's instance config has no participant "${name}"${inst.config.seasonal ? ` in season ${inst.season}` : ''} (give every host the same participants)` };
  if (!COMMIT.test(commit)) return { problem: `not a commit id: ${JSON.stringify(commit).slice(0, 80)}` };
  const key = syncKey(inst, name);
  const known = ctx.synced.get(key);
  ctx.synced.delete(key);
  if (known?.commit === commit) {
    ctx.synced.set(key, known); // the most recently used last
    return { entry, state: known.state };
  }
  const sync = await syncRepo(entry.repo, repoDirOf(inst.dataDir, entry), entry.branch, commit, gitLimits(inst.config.git));
  if (!sync.ok) return { problem: `git ${sync.failedStep} failed on ${hostname()}: ${sync.output.trim().split('\n').slice(-2).join(' ').slice(0, 500)}` };
  const state = await loadParticipantState(inst.config, inst.dataDir, entry);
  if (state.tree?.commit === commit) ctx.synced.set(key, { commit, state });
  // A state can hold its repository's files in memory: keep a few participants, not all.
  for (const oldest of ctx.synced.keys()) if (ctx.synced.size > SYNCED_KEPT) ctx.synced.delete(oldest);
  return { entry, state };
}

/**
 * A problem of this host, not of the participant's code (its config lacks the
 * participant, git cannot reach the repository, the sandbox cannot start):
 * the job fails, and the coordinator keeps the stored result and says why,
 * instead of storing an `error` a broken host would give every participant.
 */
export class HostProblem extends Error {}

/** The host's executor itself is gone (Docker unreachable): the worker stops taking jobs until it is back. */
export class ExecutorDown extends HostProblem {}

/** Throws a HostProblem when the failure just seen is the host's (host-fault.ts). */
export async function throwIfHostFault(ctx: WorkerContext, message: string | null | undefined): Promise<void> {
  const fault = await hostFault(ctx.executor, message);
  if (fault) throw fault.executorDown ? new ExecutorDown(fault.why) : new HostProblem(fault.why);
}

/**
 * A sandbox that would not start: the participant's when the executor says
 * why in terms of their image or files (a SandboxError: over the disk limit,
 * the code copy cannot be placed), the host's otherwise.
 */
export async function startSandbox(ctx: WorkerContext, start: () => Promise<Session>): Promise<Session> {
  try {
    return await start();
  } catch (e) {
    await throwIfHostFault(ctx, (e as Error).message);
    if (e instanceof SandboxError) throw e;
    throw new HostProblem(`the sandbox did not start on ${hostname()}: ${(e as Error).message}`);
  }
}

/**
 * One timed (participant, day): sync to the commit, build or reuse the image,
 * run the day in a sandbox. Whatever goes wrong with the participant's code
 * or image is the day's `error`, returned like any verdict, so the queue
 * does not retry it; only a worker that dies loses the job to another one.
 */
export async function runTimeJob(ctx: WorkerContext, d: TimeJobData, profile = new Profile()): Promise<TimeJobResult> {
  const started = Date.now();
  // The job's own limits and repeat policy, as the coordinator measures: its sessions and its reported hardware follow them.
  const inst = withSettings(ctx.inst, d.settings);
  const hardware = await ctx.hardware(inst.config.limits);
  const env = (imageId: string | null): MeasureEnv => ({ ...resultEnv(hardware, imageId ?? ''), host: hostname(), hardwareClass: ctx.hardwareClass });
  const done = (outcome: DayOutcome, imageId: string | null): TimeJobResult => ({ outcome, imageId, env: env(imageId), host: hostname(), durationMs: Date.now() - started });
  const at = await profile.time('sync', () => participantAt(ctx, inst, d.participant, d.commit));
  if ('problem' in at) throw new HostProblem(at.problem);
  const { entry, state } = at;
  const input = await profile.time('load', () => jobInput(ctx, d.inputHash));
  if (!state.config) return done(errorOutcome(`config: ${state.validation.messages.join(' ')}`), null);
  const info = state.days.get(d.day);
  if (!info?.version || info.version !== d.version) return done(errorOutcome(`day ${d.day} at ${d.commit.slice(0, 12)} is version ${info?.version ?? 'none'} here, the coordinator planned ${d.version}`), null);
  const image = await profile.time('image', () => resolveImage(ctx.executor, inst, state, false));
  if (!image.ok || !image.imageId) {
    await throwIfHostFault(ctx, image.log);
    const imageProblem = { ref: image.ref, host: hostname(), log: image.log.slice(-IMAGE_LOG_KEPT) };
    return { ...done(errorOutcome(`image ${image.ref} is not usable on ${hostname()}: ${image.log.trim().split('\n').pop() ?? ''}`), null), imageProblem };
  }
  await rememberImage(ctx, inst, state, d.commit, image.imageId);
  let session: Session | null = null;
  try {
    session = await profile.time('sandbox start', () => startSandbox(ctx, () => startDaySession(ctx.executor, inst, state, image.imageId!, d.day)));
    const open = session;
    const outcome = await profile.time('run day', () => runDay(open, {
      ...daySetup(inst.config, state.config!, d.day, info.inputPath!, entry.runonceNetwork), input, answers: d.answers, repeat: inst.config.repeat,
    }));
    // A run that failed because the host's Docker went away is not the participant's verdict.
    if (mayBeHostFault(outcome.status)) await throwIfHostFault(ctx, outcome.message);
    return done(outcome, image.imageId);
  } catch (e) {
    if (e instanceof HostProblem) throw e;
    await throwIfHostFault(ctx, (e as Error).message);
    return done(errorOutcome(`could not run: ${(e as Error).message}`), image.imageId);
  } finally {
    // A sandbox that cannot be removed (its host's Docker went away) is swept at the worker's next start; the job's own outcome stands.
    if (session) await profile.time('close', () => session!.close()).catch(() => {});
  }
}
