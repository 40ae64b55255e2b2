import type { LoadedInstance } from '../../db/instance.ts';
import { diskBytes } from '../day/session-spec.ts';
import { createExecutor } from '../executor/index.ts';
import type { Executor, ImageOutcome } from '../executor/types.ts';
import { instanceLabel } from '../host/instance-id.ts';
import type { ParticipantState } from './participant-state.ts';

/** Image builds and pulls run side by side, a few at a time (never during a timed run: bench builds them all first). */
export const IMAGE_CONCURRENCY = 2;

/** The executor to use (given, or the instance's), after checking that it can run sandboxes here. */
export async function openExecutor(inst: LoadedInstance, given?: Executor): Promise<Executor> {
  const executor = given ?? createExecutor(inst);
  const problem = await executor.unavailable();
  if (problem) throw new Error(problem);
  return executor;
}

export function resolveImage(executor: Executor, inst: LoadedInstance, state: ParticipantState, dryRun: boolean): Promise<ImageOutcome> {
  const cfg = state.config!;
  const sandboxDiskBytes = diskBytes(inst.config);
  if (cfg.image) return executor.prepareImage({ kind: 'image', ref: cfg.image, dryRun, sandboxDiskBytes });
  return executor.prepareImage({ kind: 'dockerfile', tree: state.tree!, dockerfile: cfg.dockerfile[0], repoName: state.dirName, maxBytes: sandboxDiskBytes, sandboxDiskBytes, dryRun, network: inst.config.build.network, limits: { timeoutSec: inst.config.build.timeoutSec, maxImageMb: inst.config.build.maxImageMb } });
}

/** Removes the sandboxes a killed runner of this data dir left behind. */
export function sweep(executor: Executor, inst: LoadedInstance): Promise<number> {
  return executor.sweep(instanceLabel(inst.dataDir)).catch(() => 0);
}
