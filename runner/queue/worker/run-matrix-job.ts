import { hostname } from 'node:os';
import { daySetup } from '../../day/recipe.ts';
import { runMatrixInputs } from '../../day/matrix-cells.ts';
import { errorCell, type MatrixCell } from '../../records.ts';
import type { Session } from '../../executor/types.ts';
import { Profile } from '../../report/profile.ts';
import { resolveImage } from '../../prepare/images.ts';
import { startDaySession } from '../../day/session-spec.ts';
import type { MatrixJobData, MatrixJobResult } from '../payload.ts';
import { withSettings } from '../job-content.ts';
import type { SandboxAhead } from './sandbox-ahead.ts';
import { mayBeHostFault } from '../../host/blame.ts';
import { HostProblem, jobInput, participantAt, rememberImage, startSandbox, throwIfHostFault, type WorkerContext, syncKey } from './run-time-job.ts';

/**
 * A solver's day on several inputs, as `aocbench matrix` runs it locally: one
 * sandbox, runonce and prerun once, an untimed check per input. A problem
 * with the solver's code or image makes every cell an `error`.
 */
export async function runMatrixJob(ctx: WorkerContext, d: MatrixJobData, profile = new Profile(), ahead?: MatrixAhead): Promise<MatrixJobResult> {
  const all = (message: string): MatrixJobResult => ({
    host: hostname(),
    cells: d.inputs.map((i) => errorCell({ name: i.name, version: i.inputVersion, answers: i.answers }, message)),
  });
  const early = await ahead?.sandboxes.take(d);
  const inst = withSettings(ctx.inst, d.settings);
  const at = await profile.time('sync', () => participantAt(ctx, inst, d.solver, d.commit));
  if ('problem' in at) {
    ahead?.sandboxes.closeLater(early ?? null);
    throw new HostProblem(at.problem);
  }
  const { entry, state } = at;
  let session: Session | null = early ?? null;
  try {
    const texts = await profile.time('load', () => Promise.all(d.inputs.map((i) => jobInput(ctx, i.inputHash))));
    const info = state.days.get(d.day);
    if (!state.config || !info?.version || !info.inputPath) return all(`day ${d.day} has no runnable code at ${d.commit.slice(0, 12)} here`);
    const image = await profile.time('image', () => resolveImage(ctx.executor, inst, state, false));
    if (!image.ok || !image.imageId) {
      await throwIfHostFault(ctx, image.log);
      return all(`image ${image.ref} is not usable on ${hostname()}`);
    }
    await rememberImage(ctx, inst, state, d.commit, image.imageId);
    session ??= await profile.time('sandbox start', () => startSandbox(ctx, () => startDaySession(ctx.executor, inst, state, image.imageId!, d.day)));
    // The next matrix job's sandbox starts while this one's inputs run.
    if (ahead) void ahead.peek().then((n) => n && ahead.sandboxes.offer(n)).catch(() => {});
    const setup = daySetup(inst.config, state.config, d.day, info.inputPath, entry.runonceNetwork);
    const inputs = d.inputs.map((i, n) => ({ name: i.name, ownerId: null, input: texts[n], answers: i.answers, version: i.inputVersion }));
    const open = session;
    const cells: MatrixCell[] = await profile.time('untimed', () => runMatrixInputs(open, setup, inputs));
    // Cells that failed because the host's Docker went away are not the solver's.
    const failedCell = cells.find((c) => mayBeHostFault(c.status));
    if (failedCell) await throwIfHostFault(ctx, failedCell.message);
    return { host: hostname(), cells };
  } catch (e) {
    if (e instanceof HostProblem) throw e;
    await throwIfHostFault(ctx, (e as Error).message);
    return all(`could not run: ${(e as Error).message}`);
  } finally {
    if (session && ahead) ahead.sandboxes.closeLater(session);
    else if (session) await profile.time('close', () => session!.close());
  }
}

/** The worker's sandboxes started ahead, and a look at the job next in its queue. */
export interface MatrixAhead {
  sandboxes: SandboxAhead;
  peek(): Promise<MatrixJobData | null>;
}

/**
 * A sandbox for a matrix job, started before the job is taken: only for a
 * participant already synced at that commit (no git beside the running job)
 * whose image is already here. Null otherwise: the job starts its own.
 */
export async function startAhead(ctx: WorkerContext, d: MatrixJobData): Promise<Session | null> {
  const inst = withSettings(ctx.inst, d.settings);
  const known = ctx.synced.get(syncKey(inst, d.solver));
  // The image this worker already resolved at that commit: nothing is built or pulled beside the running job.
  if (known?.commit !== d.commit || !known.state.config || !known.imageId) return null;
  return startDaySession(ctx.executor, inst, known.state, known.imageId, d.day);
}
