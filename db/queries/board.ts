/**
 * The whole board's ranking as pages and the runner compute it, and its
 * snapshot (view_snapshots): the site reads the stored one after a restart,
 * the runner stores the default view after a cycle, so the first page view of
 * a board of 10,000 reads a row instead of ranking everyone.
 */
import { rankBoard, type BoardRanking, type RankInput } from '../../lib/board-ranking.ts';
import type { Method } from '../../lib/format.ts';
import type { MemoryResult } from '../../lib/memory-board.ts';
import { chooseClass, classOf, classParam, hardwareClasses, type HardwareClass } from '../../lib/hardware-class.ts';
import { prepared, seasonSql, type Db } from '../client.ts';
import { contentVersion } from './live.ts';
import { readSnapshot, writeSnapshot } from './snapshots.ts';
import { listWipDays } from './views.ts';

/** Current results per environment (a handful of rows, however many results): hardware classes and the environment notice. */
export interface EnvCount {
  env: string | null;
  count: number;
  runAt: number;
}

export function listEnvCounts(db: Db): EnvCount[] {
  return prepared(db, `SELECT env, count(*) AS count, max(run_at) AS runAt FROM day_results${seasonSql(db)} GROUP BY env`).all() as EnvCount[];
}

export function listHardwareClasses(db: Db): HardwareClass[] {
  return hardwareClasses(listEnvCounts(db));
}

/** Whether a result's environment is of `className` (undefined: every class): a class per distinct environment, not a JSON parse per result. */
function classFilter(className: string | null | undefined): (env: string | null) => boolean {
  if (className === undefined) return () => true;
  const classes = new Map<string | null, string | null>();
  return (env) => {
    if (!classes.has(env)) classes.set(env, classOf(env));
    return classes.get(env) === className;
  };
}

/**
 * What ranking reads of every current result, as arrays (a fifth of the cost
 * of row objects with every column at 250,000 results); `className`
 * (undefined: every class) keeps one hardware class's.
 */
export function listRankInputs(db: Db, className?: string | null): RankInput[] {
  const rows = prepared(db, `SELECT participant_id, day, status, median_ms, mean_ms, min_ms, max_ms, ci_low_ms, ci_high_ms, removed_at, env FROM day_results${seasonSql(db)}`)
    .raw(true)
    .all() as Array<[number, number, string, number | null, number | null, number | null, number | null, number | null, number | null, number | null, string | null]>;
  const inClass = classFilter(className);
  const out: RankInput[] = [];
  for (const [participantId, day, status, medianMs, meanMs, minMs, maxMs, ciLowMs, ciHighMs, removedAt, env] of rows) {
    if (!inClass(env)) continue;
    out.push({ participantId, day, status, medianMs, meanMs, minMs, maxMs, ciLowMs, ciHighMs, removedAt });
  }
  return out;
}

/** What the memory board reads of every current result, one hardware class's where `className` is given. */
export function listMemoryInputs(db: Db, className?: string | null): MemoryResult[] {
  const rows = prepared(db, `SELECT participant_id, day, status, removed_at, peak_memory_kb, memory_low_kb, memory_high_kb, env FROM day_results WHERE peak_memory_kb IS NOT NULL${seasonSql(db, 'participant_id', 'AND')}`)
    .raw(true)
    .all() as Array<[number, number, string, number | null, number | null, number | null, number | null, string | null]>;
  const inClass = classFilter(className);
  const out: MemoryResult[] = [];
  for (const [participantId, day, status, removedAt, peakMemoryKb, memoryLowKb, memoryHighKb, env] of rows) {
    if (!inClass(env)) continue;
    out.push({ participantId, day, status, removedAt, peakMemoryKb, memoryLowKb, memoryHighKb });
  }
  return out;
}

/** Participant ids in config order, as every board lists them. */
export function listParticipantIds(db: Db): number[] {
  return prepared(db, `SELECT id FROM participants${seasonSql(db, 'id')} ORDER BY position, name`).pluck().all() as number[];
}

/** The snapshot key of a board view: its statistic and hardware class (a language filter is never stored). */
export const boardKey = (method: Method, classKey: string) => `board:${method}:${classKey}`;

export function computeRanking(db: Db, o: { ids: number[]; method: Method; podium: boolean; className?: string | null }): BoardRanking {
  return rankBoard({ ids: o.ids, results: listRankInputs(db, o.className), method: o.method, podium: o.podium, wip: listWipDays(db) });
}

/** The key and hardware class of the board the site shows without options. */
function defaultBoard(db: Db, configuredClass?: string) {
  const choice = chooseClass(listHardwareClasses(db), { configured: configuredClass });
  return { choice, key: boardKey('median', choice ? classParam(choice.shown.name) : '') };
}

/** The default board's stored ranking at the current content version, if the runner or the site stored it. */
export function storedDefaultRanking(db: Db, configuredClass?: string): BoardRanking | null {
  const body = readSnapshot(db, defaultBoard(db, configuredClass).key, contentVersion(db));
  return body === undefined ? null : (JSON.parse(body) as BoardRanking);
}

/**
 * The board as the site shows it without options (median, every participant,
 * the default hardware class) at the current content version: the stored one
 * when it was ranked under this podium setting, else ranked now and stored.
 */
export function defaultRanking(db: Db, o: { podium: boolean; configuredClass?: string }): BoardRanking {
  const version = contentVersion(db);
  const { key, choice } = defaultBoard(db, o.configuredClass);
  const stored = readSnapshot(db, key, version);
  const ranking = stored === undefined ? null : (JSON.parse(stored) as BoardRanking);
  if (ranking?.podium === o.podium) return ranking;
  const fresh = computeRanking(db, { ids: listParticipantIds(db), method: 'median', podium: o.podium, className: choice ? choice.shown.name : undefined });
  writeSnapshot(db, key, version, JSON.stringify(fresh));
  return fresh;
}

/** The default board stored for the site's next view: run by the runner when a cycle ends, while nothing is being timed. */
export function storeDefaultBoard(db: Db, o: { podium: boolean; configuredClass?: string }): void {
  db.$client.transaction(() => void defaultRanking(db, o)).deferred();
}
