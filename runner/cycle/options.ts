import type { Executor } from '../executor/types.ts';
import type { Profile } from '../report/profile.ts';
import type { Progress } from '../report/progress.ts';
import type { SeasonOptions } from './seasons.ts';

/** What a bench or matrix cycle is run with (`aocbench bench`/`matrix`, the daemon, tests). */
export interface CycleOptions extends SeasonOptions {
  config?: string;
  /** Only participants (for matrix: solvers) whose name matches (anchored). */
  participant?: string;
  /** Only days that match (anchored). */
  day?: string;
  /** Re-run even what did not change. */
  force?: boolean;
  /** Do not fetch the repositories: use the clones as the last sync left them. */
  noUpdate?: boolean;
  progress?: Progress;
  /** Where the days run; by default the instance's runway (its `queue:`, or its `executor:` here). */
  executor?: Executor;
  /** Aborted on shutdown: the work in flight was cut short by it and is not stored. */
  signal?: AbortSignal;
  /** Where the wall time goes; the command line passes one that counts its own start-up. */
  profile?: Profile;
}
