import type { Db } from '../../db/client.ts';
import type { LoadedInstance } from '../../db/instance.ts';
import { createExecutor } from '../executor/index.ts';
import type { Executor } from '../executor/types.ts';
import { hostProblem } from '../host/blame.ts';
import { sweep } from '../prepare/images.ts';
import { mirrorQueueStatus } from '../queue/coordinator/status-mirror.ts';
import { queueResultKey } from '../queue/result-key.ts';

/**
 * What a long-running daemon keeps of its runway between cycles: with a
 * queue, the workers own the executors (this host needs no Docker) and the
 * queue's state is mirrored into SQLite for the site; otherwise one executor,
 * handed to every cycle, which the daemon waits for when it is down.
 */
export interface RunwayHost {
  /** Handed to each cycle (undefined: the cycle opens the queued runway). */
  readonly executor: Executor | undefined;
  /** Why this host cannot run days now (Docker unreachable), or null. */
  problem(): Promise<string | null>;
  /** Removes sandboxes a killed run left here. */
  sweep(): Promise<number>;
  /** Starts what runs beside the cycles (the queue's status mirror); stopped with the daemon. */
  watch(db: Db, log: (line: string) => void): { stop(): Promise<void> };
}

/** Throws now, before any lock or wait, when the runway cannot work at all (a queue with no result key). */
export function runwayHost(inst: LoadedInstance): RunwayHost {
  const q = inst.config.queue;
  if (q) {
    // No queued result is stored without the key.
    queueResultKey(q, process.env);
    return { executor: undefined, problem: async () => null, sweep: async () => 0, watch: (db, log) => mirrorQueueStatus(q, db, log) };
  }
  // Docker may be down now: the daemon's loop waits for it.
  const executor = createExecutor(inst);
  return { executor, problem: () => hostProblem(executor), sweep: () => sweep(executor, inst), watch: () => ({ stop: async () => {} }) };
}
