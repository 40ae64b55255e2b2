import type { LoadedInstance } from '../../db/instance.ts';
import type { Executor } from '../executor/types.ts';
import { openExecutor } from '../prepare/images.ts';
import { LocalRunway } from './local.ts';
import { QueuedRunway } from './queued.ts';
import type { Runway, RunwayContext } from './types.ts';

/**
 * The cycle's runway: the queue's workers when the instance has a `queue:`,
 * otherwise this host's executor (checked to be usable now). A given
 * executor (tests, the demo) always runs here.
 */
export async function openRunway(inst: LoadedInstance, ctx: RunwayContext, executor?: Executor): Promise<Runway> {
  if (inst.config.queue && !executor) return new QueuedRunway(inst, inst.config.queue, ctx);
  return new LocalRunway(inst, await openExecutor(inst, executor), ctx);
}
