/**
 * `aocbench merge`, the config part: single-year instance configs read as
 * they are written, and the one config with `seasons:` that gives every
 * season exactly the participants, days, inputs and answers its source gave it.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Document, isScalar, parse, visit } from 'yaml';
import { parseInstanceConfig, type InstanceConfig, type ParticipantEntry } from '../../lib/instance-config.ts';
import { seasonOfInstance, seasonParticipant, seasonView, type LoadedInstance } from '../../lib/seasons.ts';

/** One single-year instance to merge. */
export interface MergeSource {
  /** The config file, absolute. */
  file: string;
  year: number;
  /** The YAML as written (no defaults added). */
  raw: Record<string, unknown>;
  parsed: InstanceConfig;
  /** Its data dir and inputs dir, absolute (resolved against the working directory, as `bench` does). */
  inst: LoadedInstance;
}

/** A participant entry of the merged config and the seasons (source years) it is listed in. */
export interface MergedEntry {
  name: string;
  raw: Record<string, unknown>;
  key: string;
  years: number[];
}

/** The instance-wide keys: everything but what is per season (or written anew). */
const PER_SEASON = new Set(['year', 'seasons', 'seasonal', 'days', 'dataDir', 'inputsDir', 'ignoreAnswers', 'participants']);

/** Settings naming a file, which resolve against the working directory: written absolute, so the new config works from anywhere. */
const FILE_SETTINGS: Array<[string, string]> = [['git', 'sshKeyFile'], ['queue', 'resultKeyFile'], ['vm', 'kernel'], ['vm', 'modules'], ['vm', 'initrd']];

/** JSON with object keys sorted: equal values give equal text. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
}

/** The configs to merge, newest year first; a config with `seasons:` or two configs of one year are refused. */
export function loadSources(files: string[], cwd: string): MergeSource[] {
  if (!files.length) throw new Error('merge: name the single-year instance configs to merge');
  const sources = files.map((f): MergeSource => {
    const file = resolve(cwd, f);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`merge: cannot read ${file}: ${(e as Error).message}`);
    }
    const parsed = parseInstanceConfig(text, file);
    if (parsed.seasonal) throw new Error(`merge: ${file} already has seasons: (merge takes single-year configs, with year:)`);
    const raw = (parse(text) ?? {}) as Record<string, unknown>;
    return { file, year: parsed.year, raw, parsed, inst: seasonOfInstance(parsed, file, cwd) };
  });
  sources.sort((a, b) => b.year - a.year);
  for (let i = 1; i < sources.length; i++) {
    if (sources[i].year === sources[i - 1].year) throw new Error(`merge: ${sources[i - 1].file} and ${sources[i].file} are both ${sources[i].year}: one instance per year`);
  }
  const dirs = new Map<string, string>();
  for (const s of sources) {
    const other = dirs.get(s.inst.dataDir);
    if (other) throw new Error(`merge: ${other} and ${s.file} share the data dir ${s.inst.dataDir}`);
    dirs.set(s.inst.dataDir, s.file);
  }
  return sources;
}

/** A source's participant entries as written, each with its identity (the parsed entry, defaults included). */
function sourceEntries(s: MergeSource): Array<{ name: string; raw: Record<string, unknown>; key: string }> {
  const raws = (Array.isArray(s.raw.participants) ? s.raw.participants : []) as Array<Record<string, unknown>>;
  return s.parsed.participants.flatMap((p, i) => {
    if (!p.seasons) return [{ name: p.name, raw: raws[i], key: canonical(p) }];
    // `seasons:` in a single-year config: the entry as its year sees it, or nothing when it is not in that year.
    const own = seasonParticipant(p, s.year, false);
    if (!own) return [];
    const { clone: _c, ...entry } = own;
    const written = Object.fromEntries(Object.entries(entry).filter(([k, v]) => k in raws[i] || (['repo', 'branch', 'path'].includes(k) && v !== undefined)));
    return [{ name: p.name, raw: written, key: canonical(entry) }];
  });
}

/**
 * The participant list of the merged config. An entry identical in several
 * sources is listed once; the others once per season. Every season's
 * participants keep their source's order (it decides the shared input).
 */
export function mergeParticipants(sources: MergeSource[]): MergedEntry[] {
  const list: MergedEntry[] = [];
  for (const s of sources) {
    let last = -1;
    for (const e of sourceEntries(s)) {
      const at = list.findIndex((m, i) => i > last && m.key === e.key && !m.years.includes(s.year));
      if (at >= 0) {
        list[at].years.push(s.year);
        last = at;
      } else {
        list.splice(last + 1, 0, { ...e, years: [s.year] });
        last += 1;
      }
    }
  }
  return list;
}

/** The newest source's instance-wide settings (as written), and the keys on which the sources differ. */
export function instanceSettings(sources: MergeSource[], cwd: string): { settings: Record<string, unknown>; differing: string[]; absolute: string[] } {
  const newest = sources[0];
  const keys = new Set(sources.flatMap((s) => Object.keys(s.parsed)).filter((k) => !PER_SEASON.has(k)));
  const value = (s: MergeSource, k: string) => canonical((s.parsed as Record<string, unknown>)[k]);
  const differing = [...keys].flatMap((k) => {
    const other = sources.filter((s) => value(s, k) !== value(newest, k)).map((s) => s.year);
    return other.length ? [`${k} (${other.join(', ')})`] : [];
  });
  const settings = structuredClone(Object.fromEntries(Object.entries(newest.raw).filter(([k]) => !PER_SEASON.has(k))));
  const absolute: string[] = [];
  for (const [group, key] of FILE_SETTINGS) {
    const holder = settings[group] as Record<string, unknown> | undefined;
    const v = holder?.[key];
    if (typeof v === 'string' && !isAbsolute(v)) {
      holder![key] = resolve(cwd, v);
      absolute.push(`${group}.${key}`);
    }
  }
  return { settings, differing, absolute };
}

/** One season of the merged config: its year, days and ignoreAnswers if its source set them, and its inputs dir, absolute. */
function seasonOf(s: MergeSource): Record<string, unknown> {
  return {
    year: s.year,
    ...(s.raw.days !== undefined ? { days: s.parsed.days } : {}),
    inputsDir: s.inst.inputsDir,
    ...(s.parsed.ignoreAnswers.length ? { ignoreAnswers: s.parsed.ignoreAnswers } : {}),
  };
}

/** The merged config as an object (key order as written) and as YAML text. */
export function mergedConfig(sources: MergeSource[], dataDir: string, cwd: string) {
  const entries = mergeParticipants(sources);
  const { settings, differing, absolute } = instanceSettings(sources, cwd);
  const all = sources.length;
  const participants = entries.map((e) => {
    const { seasons: _s, ...rest } = e.raw;
    return e.years.length === all ? rest : { ...rest, seasons: [...e.years].sort((a, b) => b - a) };
  });
  const object = { seasons: sources.map(seasonOf), dataDir, ...settings, participants };
  const doc = new Document(object);
  // Lists of years and days on one line: `seasons: [2024, 2023]`.
  visit(doc, { Seq: (_k, node) => void (node.items.length && node.items.every(isScalar) && (node.flow = true)) });
  doc.commentBefore = [
    ` Merged by \`aocbench merge\` from ${sources.map((s) => `${s.file} (${s.year})`).join(', ')}.`,
    ` Instance-wide settings are ${sources[0].year}'s${differing.length ? `; other years had other values of: ${differing.join(', ')}` : ''}.`,
  ].join('\n');
  return { text: doc.toString({ lineWidth: 0, flowCollectionPadding: false }), entries, differing, absolute };
}

/** A season's participants as the runner sees them, without the clone name (which a merge changes). */
const seen = (cfg: InstanceConfig, year: number) => canonical(seasonView(cfg, year).participants.map(({ clone: _c, ...p }: ParticipantEntry) => p));

/**
 * The written config parsed back: it must be valid, and every season must
 * see what its source saw (participants in order, days, answers, inputs).
 */
export function checkMerged(text: string, file: string, sources: MergeSource[], cwd: string): InstanceConfig {
  const merged = parseInstanceConfig(text, file);
  for (const s of sources) {
    const view = seasonView(merged, s.year);
    const inst = seasonOfInstance(merged, file, cwd, s.year);
    const same = seen(merged, s.year) === seen(s.parsed, s.year) && view.days === s.parsed.days && canonical(view.ignoreAnswers) === canonical(s.parsed.ignoreAnswers) && inst.inputsDir === s.inst.inputsDir;
    if (!same) throw new Error(`merge: the merged config's season ${s.year} would not be what ${s.file} is (a bug in aocbench merge); nothing was written`);
  }
  return merged;
}
