import { loadInstance } from '../../db/instance.ts';
import type { SyncResult } from '../git/sync.ts';
import type { Progress } from '../report/progress.ts';

/** What a cycle needs to run one season of several (lib/seasons.ts). */
export interface SeasonOptions {
  config?: string;
  /** Only this season (a year of the instance); unset: every season that is not frozen. */
  season?: number;
  /** Clones synced earlier in this run, by folder: a repository holding several years is fetched once per run. */
  synced?: Map<string, SyncResult>;
  progress?: Progress;
}

/** The seasons a command runs: the one asked for, else every season not marked frozen (newest first). */
export function seasonsToRun(config: string | undefined, asked?: number): number[] {
  const { config: cfg } = loadInstance(config);
  if (asked !== undefined) {
    if (!cfg.seasons.some((s) => s.year === asked)) throw new Error(`no season ${asked} in this instance (it has ${cfg.seasons.map((s) => s.year).join(', ')})`);
    return [asked];
  }
  const open = cfg.seasons.filter((s) => !s.frozen).map((s) => s.year);
  if (!open.length) throw new Error(`every season is frozen (${cfg.seasons.map((s) => s.year).join(', ')}): --season YEAR runs one`);
  return open;
}

/**
 * Runs `one` for each season in turn (the runner works on one season at a
 * time: its own participants, inputs and results), sharing the run's clones,
 * and adds up what they return. A single season runs as before.
 */
export async function eachSeason<O extends SeasonOptions, T>(opts: O, one: (opts: O & { season: number }) => Promise<T>, add: (a: T, b: T) => T, label: (r: T, season: number) => T = (r) => r): Promise<T> {
  const years = seasonsToRun(opts.config, opts.season);
  const synced = opts.synced ?? new Map<string, SyncResult>();
  let total: T | null = null;
  for (const season of years) {
    if (years.length > 1) opts.progress?.info(`season ${season}`);
    // With several seasons, what each one did says which it was.
    const r = years.length > 1 ? label(await one({ ...opts, season, synced }), season) : await one({ ...opts, season, synced });
    total = total === null ? r : add(total, r);
  }
  return total!;
}
