import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { dirName, parseInstanceConfig, type InstanceConfig, type ParticipantEntry, type SeasonEntry } from './instance-config.ts';
import { defaultDayCount } from './days.ts';

/**
 * Several Advent of Code years in one instance (`seasons:`). The runner and
 * the site work on one season at a time, through that season's view of the
 * config: its year, days and participants, with `%year%` expanded where a
 * participant's path, branch or repository is templated. A config with
 * `year:` is a single season, its view the config itself.
 */

const withYear = (s: string | undefined, year: number) => s?.replaceAll('%year%', String(year));

/** The season of this year, or null when the instance has none. */
export function seasonEntry(cfg: Pick<InstanceConfig, 'seasons'>, year: number): SeasonEntry | null {
  return cfg.seasons.find((s) => s.year === year) ?? null;
}

/** Every season's year, newest first. */
export const seasonYears = (cfg: Pick<InstanceConfig, 'seasons'>): number[] => cfg.seasons.map((s) => s.year);

/**
 * A participant's clone folder under <dataDir>/repos: their folder name in a
 * single-year instance (where it always was); with several seasons, that and
 * a hash of the repository and branch, so that seasons reading one repository
 * and branch share a clone and two that read different ones never do.
 */
export function cloneName(name: string, repo: string, branch: string | undefined, seasonal: boolean): string {
  if (!seasonal) return dirName(name);
  return `${dirName(name)}-${createHash('sha256').update(`${repo}\0${branch ?? ''}`).digest('hex').slice(0, 10)}`;
}

/** The participant as this season sees them (repository, branch and path for its year), or null when they do not take part in it. */
export function seasonParticipant(p: ParticipantEntry, year: number, seasonal: boolean): ParticipantEntry | null {
  const own = p.seasons?.map((s) => (typeof s === 'number' ? { year: s } : s)).find((s) => s.year === year);
  if (p.seasons && !own) return null;
  const repo = withYear(own && 'repo' in own && own.repo ? own.repo : p.repo, year)!;
  const branch = withYear(own && 'branch' in own && own.branch ? own.branch : p.branch, year);
  const path = withYear(own && 'path' in own && own.path ? own.path : p.path, year);
  const { seasons: _all, ...rest } = p;
  return { ...rest, repo, branch, path: path?.replace(/^(\.\/)+/, '').replace(/\/+$/, '') || undefined, clone: cloneName(p.name, repo, branch, seasonal) };
}

/** A season's number of days: its own, a single-year config's, else the year's default. */
export function seasonDays(cfg: InstanceConfig, year: number): number {
  return seasonEntry(cfg, year)?.days ?? (cfg.seasonal ? undefined : cfg.days) ?? defaultDayCount(year);
}

/** The instance as one season sees it: `year`, `days`, `participants` and `ignoreAnswers` are that season's. */
export function seasonView(cfg: InstanceConfig, year: number): InstanceConfig {
  const season = seasonEntry(cfg, year);
  if (!season) throw new Error(`no season ${year} in this instance (it has ${seasonYears(cfg).join(', ')})`);
  const participants = [...cfg.participants, ...season.participants].map((p) => seasonParticipant(p, year, cfg.seasonal)).filter((p): p is ParticipantEntry => p !== null);
  return {
    ...cfg,
    year,
    days: seasonDays(cfg, year),
    ignoreAnswers: season.ignoreAnswers ?? cfg.ignoreAnswers,
    participants,
  };
}

/** A season's inputs dir: its own, else the instance's with %year% expanded, else <inputsDir>/<year> when there are several seasons. */
export function seasonInputsDir(cfg: InstanceConfig, year: number): string {
  const own = seasonEntry(cfg, year)?.inputsDir;
  if (own) return withYear(own, year)!;
  if (cfg.inputsDir.includes('%year%')) return withYear(cfg.inputsDir, year)!;
  return cfg.seasonal ? `${cfg.inputsDir.replace(/\/+$/, '')}/${year}` : cfg.inputsDir;
}

/** The season a request or command names: a year of this instance, else the newest; null for a year the instance has not. */
export function pickSeason(cfg: Pick<InstanceConfig, 'seasons'>, asked: string | number | undefined | null): number | null {
  if (asked === undefined || asked === null || asked === '') return cfg.seasons[0].year;
  // Only a year as written in URLs (/2023): `0x7E7` or `2.023e3` are no other names for it.
  if (typeof asked === 'string' && !/^\d{4}$/.test(asked)) return null;
  const year = Number(asked);
  return Number.isInteger(year) && seasonEntry(cfg, year) ? year : null;
}

/** One season of an instance, as the runner and the site work on it (lib/seasons.ts). */
export interface LoadedInstance {
  file: string;
  /** The season's view: `year`, `days`, `participants` are this season's. */
  config: InstanceConfig;
  dataDir: string;
  /** The season's inputs dir. */
  inputsDir: string;
  /** The season's year: results in the database are keyed by it. */
  season: number;
  /** The whole config, every season's (lib/seasons.ts seasonView gives another season's view). */
  all: InstanceConfig;
}

/** The instance read from `text`; relative directories resolve against the working directory. */
export function resolveInstance(text: string, file: string, cwd: string, season?: number): LoadedInstance {
  return seasonOfInstance(parseInstanceConfig(text, file), file, cwd, season);
}

/** The season `year` (default: the newest) of a parsed instance config. */
export function seasonOfInstance(whole: InstanceConfig, file: string, cwd: string, year?: number): LoadedInstance {
  const season = year ?? whole.seasons[0].year;
  const config = seasonView(whole, season);
  return { file, config, season, all: whole, dataDir: resolve(/*turbopackIgnore: true*/ cwd, whole.dataDir), inputsDir: resolve(/*turbopackIgnore: true*/ cwd, seasonInputsDir(whole, season)) };
}


/** Every season's participants (each season's view of them) and the most days of any season: what a run for every season may name. */
export function everySeason(cfg: InstanceConfig): { participants: ParticipantEntry[]; days: number } {
  const views = cfg.seasons.map((s) => seasonView(cfg, s.year));
  const seen = new Set<string>();
  const participants = views.flatMap((v) => v.participants).filter((p) => !seen.has(`${p.name}\0${p.repo}`) && seen.add(`${p.name}\0${p.repo}`));
  return { participants, days: Math.max(...views.map((v) => v.days)) };
}
