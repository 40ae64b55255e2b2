import { classOf } from './hardware-class.ts';
import { computeStats } from './stats.ts';

/** A stored result row as the exports need it (samples as JSON text, as in SQLite). */
export interface ExportRow {
  participantId: number;
  day: number;
  status: string;
  samples: string;
  medianMs: number | null;
  meanMs: number | null;
  minMs: number | null;
  maxMs: number | null;
  stddevMs: number | null;
  ciLowMs: number | null;
  ciHighMs: number | null;
  version: string;
  runAt: number;
  inputSource: string | null;
  /** JSON of lib/env.ts MeasureEnv: where it was measured. */
  env?: string | null;
  /** When the day was found gone from the repository: kept as history, out of points. */
  removedAt?: number | null;
}

export interface ExportParticipant {
  id: number;
  name: string;
  dirName: string;
  repo: string;
  branch: string | null;
  subheading: string | null;
  language: string | null;
}

const samplesOf = (r: ExportRow) => JSON.parse(r.samples) as number[];

function dayJson(r: ExportRow) {
  return {
    status: r.status, samplesMs: samplesOf(r), medianMs: r.medianMs, meanMs: r.meanMs, minMs: r.minMs, maxMs: r.maxMs,
    stddevMs: r.stddevMs, ciLowMs: r.ciLowMs, ciHighMs: r.ciHighMs, version: r.version, runAt: new Date(r.runAt).toISOString(), inputSource: r.inputSource,
    // Exports keep every class's results; times compare only within one, so each says which (null: no queue).
    hardwareClass: classOf(r.env ?? null),
  };
}

/** A current result whose day left the repository says so; `removedAt` only on the current result (history rows have none). */
const removedFields = (r: ExportRow) => ({ removed: !!r.removedAt, removedAt: r.removedAt ? new Date(r.removedAt).toISOString() : null });

function group(rows: ExportRow[]): Map<number, Map<number, ExportRow[]>> {
  const m = new Map<number, Map<number, ExportRow[]>>();
  for (const r of rows) {
    const days = m.get(r.participantId) ?? new Map<number, ExportRow[]>();
    days.set(r.day, [...(days.get(r.day) ?? []), r]);
    m.set(r.participantId, days);
  }
  return m;
}

/** `/api/results.json`: everything the leaderboard shows, every sample included. */
export function resultsExport(ps: ExportParticipant[], current: ExportRow[], history: ExportRow[], meta: { year: number; lastUpdate: number | null }) {
  const cur = group(current);
  const hist = group(history);
  return {
    year: meta.year,
    lastUpdate: meta.lastUpdate ? new Date(meta.lastUpdate).toISOString() : null,
    participants: ps.map((p) => ({
      name: p.name, language: p.language, subheading: p.subheading, repo: p.repo, branch: p.branch,
      days: Object.fromEntries(
        [...(cur.get(p.id) ?? new Map<number, ExportRow[]>())].map(([day, [r]]) => [
          String(day),
          { ...dayJson(r), ...removedFields(r), history: (hist.get(p.id)?.get(day) ?? []).map(dayJson) },
        ]),
      ),
    })),
  };
}

/**
 * The AoCBench shapes name a result's class only when it has one, and a day
 * as removed only when it is: otherwise they stay exactly AoCBench's.
 */
const classField = (r: ExportRow) => {
  const c = classOf(r.env ?? null);
  return { ...(c === null ? {} : { hardwareClass: c }), ...(r.removedAt ? { removed: true } : {}) };
};

/** AoCBench's time strings: `0m0.012345678s`. */
export function aocbenchTime(ms: number): string {
  const s = ms / 1000;
  const m = Math.floor(s / 60);
  return `${m}m${(s - m * 60).toFixed(9).replace(/0+$/, '').replace(/\.$/, '.0')}s`;
}

/** AoCBench `times.json`: `{person: {days: {N: {times, min, mean, median, max, stddev}}}}` in ms. */
export function timesExport(ps: ExportParticipant[], current: ExportRow[]) {
  const cur = group(current);
  return Object.fromEntries(
    ps.map((p) => [
      p.dirName,
      {
        days: Object.fromEntries(
          [...(cur.get(p.id) ?? new Map<number, ExportRow[]>())]
            .filter(([, [r]]) => samplesOf(r).length > 0)
            .map(([day, [r]]) => {
              const st = computeStats(samplesOf(r))!;
              // AoCBench reports the population standard deviation.
              const pop = st.n > 1 ? st.stddev * Math.sqrt((st.n - 1) / st.n) : 0;
              return [String(day), { times: samplesOf(r), min: st.min, mean: st.mean, median: st.median, max: st.max, stddev: pop, ...classField(r) }];
            }),
        ),
      },
    ]),
  );
}

/** AoCBench's `results.json` (`raw.json`) shape, for consumers written against AoCBench. */
export function aocbenchResults(ps: ExportParticipant[], current: ExportRow[], history: ExportRow[], meta: { lastUpdate: number | null; hardware: string }) {
  const cur = group(current);
  const hist = group(history);
  const secs = (ms: number) => Math.floor(ms / 1000);
  const results = Object.fromEntries(
    ps.map((p) => [
      p.dirName,
      {
        name: p.name, repo: p.repo, subheading: p.subheading ?? '', language: p.language ?? '',
        days: Object.fromEntries(
          [...(cur.get(p.id) ?? new Map<number, ExportRow[]>())].map(([day, [r]]) => {
            const previousTimes = (hist.get(p.id)?.get(day) ?? [])
              .filter((h) => samplesOf(h).length)
              .map((h) => ({ times: samplesOf(h).map(aocbenchTime), time: secs(h.runAt), version: h.version }));
            const base = { time: secs(r.runAt), version: r.version, previousTimes, ...classField(r) };
            const times = samplesOf(r);
            return [String(day), times.length ? { ...base, times: times.map(aocbenchTime), checkedOutput: r.status === 'correct' } : base];
          }),
        ),
      },
    ]),
  );
  const t = meta.lastUpdate ? secs(meta.lastUpdate) : 0;
  return { results, starttime: t, finishtime: t, time: t, hardware: meta.hardware };
}
