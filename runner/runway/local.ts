import PQueue from 'p-queue';
import { resultEnv } from '../../lib/env.ts';
import type { LoadedInstance } from '../../db/instance.ts';
import { runMatrixInputs } from '../day/matrix-cells.ts';
import { daySetup, runDay } from '../day/recipe.ts';
import { DaySandboxes, type AheadPolicy, type TrackedSession } from '../day/sandboxes.ts';
import { sessionSpec } from '../day/session-spec.ts';
import { UntimedWork } from '../day/untimed-work.ts';
import type { Executor, ImageOutcome } from '../executor/types.ts';
import { HostFault, hostFaultAfter, mayBeHostFault } from '../host/blame.ts';
import { hardwareSummary } from '../host/hardware.ts';
import { IMAGE_CONCURRENCY, resolveImage, sweep } from '../prepare/images.ts';
import type { ParticipantState } from '../prepare/participant-state.ts';
import { errorCell, errorOutcome, type DayJob, type DayOutcome, type MatrixBatch, type MatrixCell } from '../records.ts';
import type { DaySink, Runway, RunwayContext } from './types.ts';

/**
 * Timed days: sandboxes started three ahead, in bursts (see DaySandboxes):
 * side by side, Docker starts them about twice as fast as one after the
 * other, and more at once gained nothing measurable on 2 cores.
 */
const DAYS_AHEAD: AheadPolicy = { ahead: 3, bursts: true };
/** Nothing in the matrix is timed: sandboxes start a few ahead and close as soon as they are done. */
const BATCHES_AHEAD: AheadPolicy = { ahead: 2, bursts: false };

/** Days run here, in this host's sandboxes (the instance's executor). */
export class LocalRunway implements Runway {
  readonly onWorkers = false;
  private readonly runs: DaySandboxes[] = [];
  private described: Promise<Record<string, unknown>> | null = null;

  constructor(
    private readonly inst: LoadedInstance,
    private readonly executor: Executor,
    private readonly ctx: RunwayContext,
  ) {}

  get containers(): number {
    return this.runs.reduce((a, r) => a + r.started, 0);
  }

  hardware(): Promise<Record<string, unknown>> {
    return (this.described ??= hardwareSummary(this.executor, this.inst.config.limits));
  }

  sweep(): Promise<number> {
    return sweep(this.executor, this.inst);
  }

  /** Built or pulled a few at a time, all before the first timed run: no build competes with timing. */
  async images(states: ParticipantState[], opts: { dryRun: boolean; announce: boolean }): Promise<ImageOutcome[]> {
    const { progress, profile } = this.ctx;
    const builds = new PQueue({ concurrency: IMAGE_CONCURRENCY });
    const one = (state: ParticipantState) => {
      // A build can take minutes: say whose image is being made.
      if (opts.announce) progress.info(`${state.entry.name}: preparing its image (${state.config!.image ?? state.config!.dockerfile[0]})`);
      return resolveImage(this.executor, this.inst, state, opts.dryRun);
    };
    const images = await profile.time('image', () => Promise.all(states.map((state) => builds.add(() => profile.time('image', () => one(state), true)))));
    // An image that failed because Docker went away is the host's, not the participant's.
    const failed = images.find((i) => !i.ok);
    const host = failed && (await hostFaultAfter(this.executor, `image ${failed.ref}`));
    if (host) throw host;
    return images;
  }

  async runDays(jobs: DayJob[], sink: DaySink): Promise<void> {
    const { progress, signal } = this.ctx;
    const hardware = await this.hardware();
    const days = this.sandboxes(jobs.map((job) => () => sessionSpec(this.inst, job.state, job.imageId, job.day)), DAYS_AHEAD);
    for (const [n, job] of jobs.entries()) {
      const name = job.state.entry.name;
      const startedAt = Date.now();
      progress.step(name, job.day, 'starting the sandbox', job.reason);
      let outcome: DayOutcome;
      let session: TrackedSession | null = null;
      try {
        // The following days' sandboxes start while this day is in its untimed steps; this day's timed runs wait for them.
        session = await days.take(n);
        const tracked = session;
        outcome = await runDay(tracked, {
          ...daySetup(this.inst.config, job.state.config!, job.day, job.state.days.get(job.day)!.inputPath!, job.state.entry.runonceNetwork),
          input: job.input.input!, answers: job.input.answers, repeat: this.inst.config.repeat,
          onStep: (step, detail) => {
            tracked.step = step;
            progress.step(name, job.day, step, detail);
          },
        });
      } catch (e) {
        outcome = errorOutcome(`could not run: ${(e as Error).message}`);
      } finally {
        if (session) days.release(n, session.inner);
      }
      if (signal.aborted) return; // the sandbox was removed under the run: its outcome says nothing about the code
      // A sandbox that died with the host says nothing about the code either: nothing is handed back for this day.
      if (mayBeHostFault(outcome.status)) await this.unlessHostFailed(`${name} day ${job.day} (${outcome.message ?? outcome.status})`);
      sink.ran(job, { outcome, env: resultEnv(hardware, job.imageId), startedAt });
    }
  }

  async runBatches(batches: MatrixBatch[], save: (batch: MatrixBatch, cells: MatrixCell[]) => void): Promise<void> {
    const { progress, signal } = this.ctx;
    const days = this.sandboxes(batches.map((b) => () => sessionSpec(this.inst, b.state, b.imageId, b.day)), BATCHES_AHEAD);
    for (const [n, b] of batches.entries()) {
      if (b.announce !== null) progress.info(`${b.state.entry.name} day ${b.day}: ${b.announce} input(s)`);
      let session: TrackedSession | null = null;
      let cells: MatrixCell[];
      try {
        session = await days.take(n);
        const tracked = session;
        const setup = { ...daySetup(this.inst.config, b.state.config!, b.day, b.inputPath, b.state.entry.runonceNetwork), onStep: (step: string) => (tracked.step = step) };
        cells = await runMatrixInputs(tracked, setup, b.inputs);
      } catch (e) {
        if (signal.aborted || e instanceof HostFault) throw e;
        cells = b.inputs.map((i) => errorCell(i, `could not run: ${(e as Error).message}`));
      } finally {
        if (session) days.release(n, session.inner);
      }
      if (signal.aborted) return;
      // Cells that failed because the host did (Docker gone) are not handed back: the matrix stops with the host's reason.
      const failed = cells.find((c) => mayBeHostFault(c.status));
      if (failed) await this.unlessHostFailed(`${b.state.entry.name} day ${b.day} on ${failed.input} (${failed.message ?? failed.status})`);
      save(b, cells);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.runs.map((r) => r.drain()));
  }

  private sandboxes(specs: ConstructorParameters<typeof DaySandboxes>[3], policy: AheadPolicy): DaySandboxes {
    const run = new DaySandboxes(this.executor, new UntimedWork(), this.ctx.profile, specs, policy, (m) => this.ctx.progress.info(m));
    this.runs.push(run);
    return run;
  }

  private async unlessHostFailed(what: string): Promise<void> {
    const host = await hostFaultAfter(this.executor, what);
    if (host) throw host;
  }
}
