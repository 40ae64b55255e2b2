import type { MatrixBatch, MatrixCell } from '../../records.ts';
import { commitOf } from './time-jobs.ts';
import type { Progress } from '../../report/progress.ts';
import type { JobQueue } from './dispatch.ts';
import { settingsHash } from '../job-content.ts';
import { jobId } from '../names.ts';
import { QueueProblem } from '../outage.ts';
import { ForgedResult } from '../result-mac.ts';
import type { MatrixJobData } from '../payload.ts';

/** Every (solver, day) of the matrix as one queued job; each batch's cells are handed to `save` as they arrive. */
export async function runQueuedMatrix<J extends { id?: string }>(dispatcher: JobQueue<J>, batches: MatrixBatch[], save: (b: MatrixBatch, cells: MatrixCell[]) => void, progress: Progress, opts: { force?: boolean; signal?: AbortSignal } = {}): Promise<void> {
  const settings = dispatcher.settings;
  const stopWatch = dispatcher.watchWorkers((m) => progress.info(m));
  await Promise.all(
    batches.map(async (b) => {
      const data: MatrixJobData = {
        solver: b.state.entry.name, commit: commitOf(b.state), day: b.day, solverVersion: b.solverVersion, imageKey: b.imageId, settings, queuedAt: Date.now(),
        inputs: await Promise.all(b.inputs.map(async (i) => ({ name: i.name, inputHash: await dispatcher.inputs.store(i.input), inputVersion: i.version, answers: i.answers }))),
      };
      const id = jobId('matrix', [data.solver, data.day, data.solverVersion, settingsHash(settings), ...data.inputs.map((i) => `${i.name}=${i.inputVersion}`)]);
      const { job } = await dispatcher.submit('matrix', id, data, { fresh: opts.force });
      progress.info(`${data.solver} day ${data.day}: ${data.inputs.length} input(s) queued (job ${job.id})`);
      let cells: MatrixCell[];
      try {
        const r = await dispatcher.result<'matrix'>(job);
        if (!r) return; // stored by the other run that waited for the same job
        // Only the inputs this batch sent: a worker's answer names no other cells.
        const sent = new Set(b.inputs.map((i) => i.name));
        cells = r.cells.filter((c) => sent.has(c.input));
      } catch (e) {
        // The worker's host failed, not the solver: the stored cells stay; the next run tries again.
        const queueGone = e instanceof QueueProblem;
        progress.info(`${data.solver} day ${data.day}: not run, ${queueGone || e instanceof ForgedResult ? '' : 'the worker failed: '}${(e as Error).message}`);
        if (!queueGone) await dispatcher.forget(job, false);
        return;
      }
      if (opts.signal?.aborted) return;
      save(b, cells);
      await dispatcher.forget(job);
    }),
  ).finally(stopWatch);
}
