import { hostname } from 'node:os';
import { daySetup } from '../day-run.ts';
import { runInputs, type MatrixCell } from '../matrix.ts';
import type { Session } from '../executor/types.ts';
import { resolveImage } from '../prepare.ts';
import { startDaySession } from '../session-spec.ts';
import type { MatrixJobData, MatrixJobResult } from './payload.ts';
import { withSettings } from './job-content.ts';
import { HostProblem, jobInput, participantAt, type WorkerContext } from './run-job.ts';

/**
 * A solver's day on several inputs, as `aocbench matrix` runs it locally: one
 * sandbox, runonce and prerun once, an untimed check per input. A problem
 * with the solver's code or image makes every cell an `error`.
 */
export async function runMatrixJob(ctx: WorkerContext, d: MatrixJobData): Promise<MatrixJobResult> {
  const all = (message: string): MatrixJobResult => ({
    host: hostname(),
    cells: d.inputs.map((i) => ({ input: i.name, inputVersion: i.inputVersion, status: 'error', exitCode: null, message, output: null, wallMs: null, runAt: Date.now(), expected: JSON.stringify(i.answers) })),
  });
  const at = await participantAt(ctx, d.solver, d.commit);
  if ('problem' in at) throw new HostProblem(at.problem);
  const { entry, state } = at;
  const inst = withSettings(ctx.inst, d.settings);
  const texts = await Promise.all(d.inputs.map((i) => jobInput(ctx, i.inputHash)));
  const info = state.days.get(d.day);
  if (!state.config || !info?.version || !info.inputPath) return all(`day ${d.day} has no runnable code at ${d.commit.slice(0, 12)} here`);
  const image = await resolveImage(ctx.executor, inst, state, false);
  if (!image.ok || !image.imageId) return all(`image ${image.ref} is not usable on ${hostname()}`);
  let session: Session | null = null;
  try {
    session = await startDaySession(ctx.executor, inst, state, image.imageId, d.day);
    const setup = daySetup(inst.config, state.config, d.day, info.inputPath, entry.runonceNetwork);
    const inputs = d.inputs.map((i, n) => ({ name: i.name, ownerId: null, input: texts[n], answers: i.answers, version: i.inputVersion }));
    const cells: MatrixCell[] = await runInputs(session, setup, inputs);
    return { host: hostname(), cells };
  } catch (e) {
    return all(`could not run: ${(e as Error).message}`);
  } finally {
    await session?.close();
  }
}
