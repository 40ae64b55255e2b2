import type { MeasureEnv } from '../../../lib/env.ts';
import type { DayJob } from '../../records.ts';
import type { DaySink } from '../../runway/types.ts';
import { dockerfileImageRef } from '../../executor/docker-images.ts';
import type { ImageOutcome } from '../../executor/types.ts';
import type { ParticipantState } from '../../prepare/participant-state.ts';
import type { Progress } from '../../report/progress.ts';
import type { JobQueue } from './dispatch.ts';
import { settingsHash } from '../job-content.ts';
import { jobId } from '../names.ts';
import { QueueProblem } from '../outage.ts';
import { ForgedResult } from '../result-mac.ts';
import type { TimeJobData, TimeJobResult } from '../payload.ts';

/**
 * With a queue the coordinator builds nothing: the image is known by what
 * names it (a Dockerfile context's content tag), or for an `image:` reference
 * by the id the class's workers last saw for it (`ids`, image-ids.ts), so a
 * re-pulled tag re-runs its days; each worker builds or pulls it itself.
 */
export function imageKey(state: ParticipantState, ids: Record<string, string> = {}): ImageOutcome {
  const cfg = state.config!;
  const ref = cfg.image ?? dockerfileImageRef(state.tree!, cfg.dockerfile[0], state.dirName);
  const imageId = (cfg.image && ids[cfg.image]) || ref;
  return { ok: true, kind: cfg.image ? 'image' : 'dockerfile', ref, imageId, built: false, log: 'Built or pulled by each worker.' };
}

/** The commit the plan was read from (not the clone's HEAD now, which a sync may have moved): the worker runs exactly that content. */
export const commitOf = (s: ParticipantState): string => s.tree!.commit;

/**
 * Queues every planned day at once (the workers take them in order, each one
 * at a time) and hands each result to the sink as it arrives; a job the
 * queue already held (the same work triggered twice) is waited for, not added.
 * A job its worker's host failed goes to `sink.notRun`: nothing is stored for it.
 */
export async function runQueuedDays<J extends { id?: string }>(dispatcher: JobQueue<J>, days: DayJob[], sink: DaySink, progress: Progress, opts: { force?: boolean; signal?: AbortSignal; hardwareClass: string }): Promise<{ added: number }> {
  const unknownEnv: MeasureEnv = { executor: 'unknown', hardwareClass: opts.hardwareClass };
  let added = 0;
  const settings = dispatcher.settings;
  const queued = await Promise.all(
    days.map(async (d) => {
      const data: TimeJobData = {
        participant: d.state.entry.name, commit: commitOf(d.state), day: d.day, version: d.version, inputVersion: d.inputVersion,
        imageKey: d.imageId, inputHash: await dispatcher.inputs.store(d.input.input!), inputSource: d.input.source, answers: d.input.answers, reason: d.reason,
        settings, queuedAt: Date.now(),
      };
      const id = jobId('time', [data.participant, data.day, data.version, data.inputVersion, data.imageKey, settingsHash(settings)]);
      const { job, added: isNew } = await dispatcher.submit('time', id, data, { fresh: opts.force });
      if (isNew) added++;
      progress.info(`${data.participant} day ${data.day}: ${isNew ? 'queued' : 'already queued'} (job ${job.id})`);
      return { d, job };
    }),
  );
  const stopWatch = dispatcher.watchWorkers((m) => progress.info(m));
  await Promise.all(
    queued.map(async ({ d, job }) => {
      let result: TimeJobResult | null;
      try {
        result = await dispatcher.result<'time'>(job);
        if (!result) return; // stored by the other run that waited for the same job
      } catch (e) {
        // The worker's host failed, not the code: the stored result stays; the next cycle tries again.
        // Redis or every worker gone: the job stays queued, and the next run takes its result if a worker returns one.
        const queueGone = e instanceof QueueProblem;
        if (!opts.signal?.aborted) sink.notRun(d, `not run: ${queueGone || e instanceof ForgedResult ? '' : 'the worker failed: '}${(e as Error).message}`);
        if (!queueGone) await dispatcher.forget(job, false);
        return;
      }
      if (opts.signal?.aborted) return;
      // How long the day took on its worker (the stored duration feeds ETAs), not how long it waited in the queue.
      sink.ran(d, { outcome: result.outcome, env: result.env ?? unknownEnv, startedAt: Date.now() - result.durationMs, imageProblem: result.imageProblem ?? null });
      await dispatcher.forget(job);
    }),
  ).finally(stopWatch);
  return { added };
}
