import { inSeason, openSeasonDb, unscoped, type Db } from '../../db/client.ts';
import { loadInstance, type LoadedInstance } from '../../db/instance.ts';
import { contentWatch } from '../../db/queries/live.ts';
import { readSnapshot, writeSnapshot } from '../../db/queries/snapshots.ts';
import { pickSeason, seasonOfInstance, seasonYears } from '../../lib/seasons.ts';

/** One connection per server process; the runner writes, WAL lets us read meanwhile. */
let ctx: { instance: LoadedInstance; db: Db; every: Db; watch: ReturnType<typeof contentWatch>; seasons: Map<number, { instance: LoadedInstance; db: Db }> } | null = null;

/**
 * The season of the request being rendered: app/_lib/season.ts tells it
 * (from the URL, per request); outside a page render (route handlers, the
 * web server's own use of this module) there is none and the newest is meant.
 */
let requestSeason: () => number | null = () => null;
export function onRequestSeason(f: () => number | null): void {
  requestSeason = f;
}

/** The season a request shows, its link prefix ('' for the newest, at /) and every season's year. */
export interface SeasonPage {
  year: number;
  base: string;
  years: number[];
  newest: number;
}

/** The instance as a whole (every season). */
export function wholeConfig() {
  return context().instance.config;
}

/** The season's links and neighbours. */
export function seasonPage(year = currentSeason()): SeasonPage {
  const years = seasonYears(context().instance.config);
  return { year, base: year === years[0] ? '' : `/${year}`, years, newest: years[0] };
}

/** The season of this request (the newest outside a page, in route handlers that do not name one). */
export function currentSeason(): number {
  return requestSeason() ?? context().instance.season;
}

/** The season's instance: its year, days and participants (`seasons` lists every season's). */
export function instance(year = currentSeason()): LoadedInstance {
  return seasonOf(year).instance;
}

/** The database, scoped to the season (its participants, inputs and stored views). */
export function db(year = currentSeason()): Db {
  return seasonOf(year).db;
}

/** The connection unscoped: every season's rows (custom inputs by id, jobs for every season). */
export function everySeasonDb(): Db {
  return context().every;
}

/** The season of a route handler's `?season=` (the newest when absent); null for a year this instance has not. */
export function askedSeason(url: URL): number | null {
  return pickSeason(context().instance.config, url.searchParams.get('season'));
}

function seasonOf(year: number) {
  const c = context();
  let s = c.seasons.get(year);
  if (!s) {
    // Another season's view of the config this process read (not the file again, which may have changed since).
    c.seasons.set(year, (s = { instance: seasonOfInstance(c.instance.all, c.instance.file, process.cwd(), year), db: inSeason(c.every, year) }));
  }
  return s;
}

function context() {
  if (!ctx) {
    // The site reads the same instance config as the runner ($AOCBENCH_CONFIG or config/aocbench.yaml).
    const inst = loadInstance();
    // One connection for every season; rows from before seasons are a single-year config's (db/client.ts).
    const db = openSeasonDb(inst);
    ctx = { instance: inst, db, every: unscoped(db), watch: contentWatch(db), seasons: new Map([[inst.season, { instance: inst, db }]]) };
  }
  return ctx;
}

/** The content version: moves with every write to what pages show. */
export function version(): number {
  return context().watch.version();
}

let stamp = -1;
const MEMO_MAX = 300;
const memo = new Map<string, unknown>();

/**
 * Memoised until the content changes: the content version moves with every
 * write to what pages show (not with heartbeats or progress lines), so pages
 * never show stale data and a running benchmark does not force re-reads.
 */
export function cached<T>(name: string, fn: () => T, year = currentSeason()): T {
  // Every season's values apart (a route handler names its season).
  const key = `${year}:${name}`;
  const version = context().watch.version();
  if (version !== stamp) {
    memo.clear();
    stamp = version;
  }
  if (memo.has(key)) {
    // Most recently used last: the oldest go first when the cap is reached.
    const hit = memo.get(key);
    memo.delete(key);
    memo.set(key, hit);
    return hit as T;
  }
  const v = fn();
  memo.set(key, v);
  // View options include free text (?q=, ?lang=): a cap keeps anonymous clients from filling the memory.
  for (const k of memo.keys()) {
    if (memo.size <= MEMO_MAX) break;
    memo.delete(k);
  }
  return v;
}

/** After this process writes (custom inputs, queued jobs): data_version only sees other connections' commits. */
export function invalidate(): void {
  context().watch.reset();
  memo.clear();
}

/**
 * `cached`, and kept in the database (view_snapshots) for the content version:
 * a restarted site reads what the last process (or the runner, after a cycle)
 * computed instead of computing it again. For values of the whole board only,
 * under keys from a closed set (never free text from a query string).
 */
export function persisted<T>(key: string, fn: () => T, fits: (stored: T) => boolean = () => true): T {
  return cached(`persisted:${key}`, () => {
    const v = version();
    const stored = readSnapshot(db(), key, v);
    // `fits`: the stored value was computed under the settings in force (the config may have changed since).
    if (stored !== undefined) {
      const value = JSON.parse(stored) as T;
      if (fits(value)) return value;
    }
    const value = fn();
    writeSnapshot(db(), key, v, JSON.stringify(value));
    return value;
  });
}
