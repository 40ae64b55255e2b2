import { methodValue, type Method } from './format.ts';
import { expand } from './placeholders.ts';
import { dayMarks, rankBoard, type BoardRanking, type RankInput } from './board-ranking.ts';
import type { Medal } from './ranking.ts';
import { repoFileUrl } from './repo-links.ts';

/** Statuses that carry timing samples. */
export const TIMED_STATUSES = new Set(['correct', 'unchecked']);

/** A result that counts: timed, and its day still in the repository (a removed day is history, out of points). */
export function counts(r: { status: string; removedAt?: number | null }): boolean {
  return TIMED_STATUSES.has(r.status) && !r.removedAt;
}

export interface LbParticipant {
  id: number;
  name: string;
  language: string | null;
  subheading: string | null;
  repo: string;
  branch: string | null;
  daypath?: string;
}

/** A current result: what ranking reads (lib/board-ranking.ts), and when and from which code it was measured. */
export interface LbResult extends RankInput {
  samples: number;
  runAt: number;
  version: string;
}

/** A previous result, as far as a history marker shows it. */
export type LbHistory = Pick<LbResult, 'participantId' | 'day' | 'status' | 'medianMs' | 'meanMs' | 'minMs' | 'maxMs' | 'runAt' | 'version'>;

export interface LbCell {
  participantId: number;
  status: string | null;
  value: number | null;
  result: LbResult | null;
  medal: Medal | null;
  best: boolean;
  /** Indistinguishable from another time of the day (equal, or overlapping 95% CIs): they share a place. */
  tied: boolean;
  history: Array<{ runAt: number; version: string; status: string; value: number | null }>;
  codeUrl: string | null;
}

export interface Leaderboard {
  columns: LbParticipant[];
  rows: Array<{ day: number; cells: LbCell[] }>;
  points: Map<number, number>;
  runtime: Map<number, number>;
  complete: Set<number>;
  pointsMedals: Map<number, Medal>;
  runtimeMedals: Map<number, Medal>;
}

/** `?lang=awk&lang=!sh`: includes and `!` excludes; with a filter, participants without a language drop out. */
export function filterByLanguage<T extends { language: string | null }>(ps: T[], filters: string[]): T[] {
  const include = filters.filter((f) => f && f !== '*' && !f.startsWith('!')).map((f) => f.toLowerCase());
  const exclude = filters.filter((f) => f.startsWith('!')).map((f) => f.slice(1).toLowerCase());
  if (!include.length && !exclude.length) return ps;
  return ps.filter((p) => {
    const langs = (p.language ?? '').split(',').map((l) => l.trim().toLowerCase()).filter(Boolean);
    if (!langs.length) return false;
    if (include.length && !langs.some((l) => include.includes(l))) return false;
    return !langs.some((l) => exclude.includes(l));
  });
}

/** `?anon`: "Participant N" in config order, everywhere a name would show. */
export function anonymise<T extends { name: string }>(ps: T[], anon: boolean): T[] {
  return anon ? ps.map((p, i) => ({ ...p, name: `Participant ${i + 1}` })) : ps;
}

/**
 * The AoCBench grid: a row per day that has any result, a column per
 * participant, podium medals and points per day, and the Points/Runtime totals.
 * With `ranking` (the whole board's, lib/board-ranking.ts) the columns may be
 * a window of it: cells are built for them only, places and totals are the
 * whole board's.
 */
export function buildLeaderboard(opts: {
  participants: LbParticipant[];
  results: LbResult[];
  history: LbHistory[];
  method: Method;
  podium: boolean;
  year: number;
  /** `participantId/day` of work-in-progress days: shown as such, their results as history. */
  wip?: Set<string>;
  ranking?: BoardRanking;
}): Leaderboard {
  const { participants, method } = opts;
  const wip = opts.wip ?? new Set<string>();
  const ranking = opts.ranking ?? rankBoard({ ids: participants.map((p) => p.id), results: opts.results, method, podium: opts.podium, wip });
  const ids = new Set(participants.map((p) => p.id));
  const byKey = new Map(opts.results.filter((r) => ids.has(r.participantId)).map((r) => [`${r.participantId}/${r.day}`, r]));
  const hist = new Map<string, LbHistory[]>();
  for (const h of opts.history) {
    if (!ids.has(h.participantId)) continue;
    const k = `${h.participantId}/${h.day}`;
    const list = hist.get(k);
    if (list) list.push(h);
    else hist.set(k, [h]);
  }
  const marks = dayMarks(ranking, [...ids]);
  const rows = ranking.days.map(({ day }) => {
    const dayMarks = marks.get(day)!;
    const cells = participants.map((p): LbCell => {
      const r = byKey.get(`${p.id}/${day}`) ?? null;
      const isWip = wip.has(`${p.id}/${day}`);
      const removed = !!r?.removedAt;
      const past = hist.get(`${p.id}/${day}`) ?? [];
      const mark = dayMarks.get(p.id);
      return {
        participantId: p.id,
        status: isWip ? 'wip' : removed ? 'removed' : (r?.status ?? null),
        value: mark && r ? methodValue(r, method) : null,
        result: r,
        medal: mark?.medal ?? null,
        best: mark?.best ?? false,
        tied: mark?.tied ?? false,
        history: ((isWip || removed) && r ? [r, ...past] : past).map((h) => ({
          runAt: h.runAt, version: h.version, status: h.status, value: TIMED_STATUSES.has(h.status) ? methodValue(h, method) : null,
        })),
        codeUrl: p.repo ? repoFileUrl(p.repo, p.branch, expand(p.daypath ?? '%day%', { day, year: opts.year })) : null,
      };
    });
    return { day, cells };
  });
  const mine = <V>(rec: Record<number, V>) => new Map([...ids].filter((id) => rec[id] !== undefined).map((id) => [id, rec[id]]));
  const complete = new Set(ranking.complete);
  return {
    columns: participants,
    rows,
    points: mine(ranking.points),
    runtime: mine(ranking.runtime),
    complete: new Set([...ids].filter((id) => complete.has(id))),
    pointsMedals: mine(ranking.pointsMedals),
    runtimeMedals: mine(ranking.runtimeMedals),
  };
}

export type BoardOrder = 'standing' | 'config';

/**
 * Participant ids by standing: in podium mode by points (then runtime), else
 * by runtime; the complete before the incomplete (their runtime leaves days
 * out); config order breaks the remaining ties.
 */
export function standing(lb: Leaderboard, podium: boolean): number[] {
  const pos = new Map(lb.columns.map((p, i) => [p.id, i]));
  return lb.columns
    .map((p) => p.id)
    .sort(
      (a, b) =>
        (podium ? (lb.points.get(b) ?? 0) - (lb.points.get(a) ?? 0) : 0) ||
        Number(lb.complete.has(b)) - Number(lb.complete.has(a)) ||
        (lb.runtime.get(a) ?? 0) - (lb.runtime.get(b) ?? 0) ||
        pos.get(a)! - pos.get(b)!,
    );
}

/** The same board with its columns in another order (every row's cells follow). */
export function reorder(lb: Leaderboard, ids: number[]): Leaderboard {
  const at = new Map(lb.columns.map((p, i) => [p.id, i]));
  const idx = ids.filter((id) => at.has(id)).map((id) => at.get(id)!);
  return { ...lb, columns: idx.map((i) => lb.columns[i]), rows: lb.rows.map((r) => ({ ...r, cells: idx.map((i) => r.cells[i]) })) };
}

/** `?q=`: participants whose name contains the text, any case. */
export function findByName<T extends { name: string }>(ps: T[], q: string | undefined): T[] {
  const t = q?.trim().toLowerCase();
  return t ? ps.filter((p) => p.name.toLowerCase().includes(t)) : ps;
}

/** One participant's place on a board: its rank among all, points, runtime, and its place on each day it has a time. */
export interface ParticipantStanding {
  rank: number;
  of: number;
  points: number;
  /** Null when no day has a time. */
  runtime: number | null;
  complete: boolean;
  /** day → place among that day's times (competition ranking, ties share the better place). */
  places: Map<number, { place: number; of: number; tied: boolean; leader: number }>;
}

export function participantStanding(ranking: BoardRanking, id: number): ParticipantStanding | null {
  const rank = ranking.order.indexOf(id);
  if (rank < 0) return null;
  const places = new Map<number, { place: number; of: number; tied: boolean; leader: number }>();
  for (const [day, marks] of dayMarks(ranking, [id])) {
    const m = marks.get(id);
    if (m) places.set(day, { place: m.place, of: m.of, tied: m.shared, leader: m.leader });
  }
  return {
    rank: rank + 1, of: ranking.order.length, points: ranking.points[id] ?? 0,
    runtime: places.size ? (ranking.runtime[id] ?? 0) : null, complete: ranking.complete.includes(id), places,
  };
}
