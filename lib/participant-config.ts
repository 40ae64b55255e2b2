import { posix } from 'node:path';
import { parseYamlLenient } from './yaml-lenient.ts';

/** `.aocbench.yaml` as AoCBench defines it, with defaults applied. */
export interface ParticipantConfig {
  version: string;
  author?: string;
  language: string[];
  versionprefix: string;
  dockerfile: string[];
  image?: string;
  code: string;
  persistence: string[];
  workdir: string;
  runonce?: string;
  prerun?: string;
  cmd: string;
  notty: boolean;
  hyperfine: boolean;
  hyperfineshell: boolean;
  environment: string[];
  daypath: string;
  common: string[];
  inputfile: string;
  answerfile: string;
}

export type ValidationState = 'ok' | 'warning' | 'error';

export interface Validation {
  state: ValidationState;
  messages: string[];
}

export const CONFIG_FILES = ['.aocbench.yaml', '.aocbench.yml'] as const;
export const DEFAULT_DOCKERFILES = [
  '.docker/Dockerfile',
  'docker/Dockerfile',
  'Dockerfile',
  '.docker/Containerfile',
  'docker/Containerfile',
  'Containerfile',
];

const KNOWN_KEYS = new Set([
  'version', 'author', 'language', 'versionprefix', 'dockerfile', 'image', 'code', 'persistence', 'workdir',
  'runonce', 'prerun', 'cmd', 'notty', 'hyperfine', 'hyperfineshell', 'environment', 'daypath', 'common',
  'inputfile', 'answerfile',
]);
const STRING_KEYS = ['author', 'versionprefix', 'image', 'runonce', 'prerun', 'cmd', 'daypath', 'inputfile', 'answerfile'];
const STRING_OR_LIST_KEYS = ['dockerfile', 'common', 'language'];
const BOOL_KEYS = ['notty', 'hyperfine', 'hyperfineshell'];

export interface LoadedConfig {
  raw: Record<string, unknown> | null;
  config: ParticipantConfig | null;
  validation: Validation;
}

function list(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

function isStringList(v: unknown): boolean {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/**
 * Validates a parsed config. `exists` tells whether a repo-relative path is
 * committed; it decides which Dockerfile of the search list is used.
 */
export function validateConfig(raw: unknown, exists: (path: string) => boolean = () => true): Validation {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { state: 'error', messages: ['Config is not a mapping of keys to values.'] };
  }
  const c = raw as Record<string, unknown>;
  for (const k of Object.keys(c)) if (!KNOWN_KEYS.has(k)) warnings.push(`Unknown field "${k}": this field will be ignored.`);
  if (c.version === undefined) errors.push('Missing "version" (must be 1).');
  else if (String(c.version) !== '1') errors.push(`"version" must be 1, not ${JSON.stringify(c.version)}.`);
  if (c.cmd === undefined || c.cmd === null || c.cmd === '') errors.push('Missing "cmd": the command that runs a day.');
  for (const k of STRING_KEYS) {
    if (c[k] !== undefined && c[k] !== null && typeof c[k] !== 'string') errors.push(`"${k}" must be a string.`);
  }
  for (const k of STRING_OR_LIST_KEYS) {
    const v = c[k];
    if (v !== undefined && v !== null && typeof v !== 'string' && !isStringList(v)) {
      errors.push(`"${k}" must be a string or a list of strings.`);
    }
  }
  for (const k of BOOL_KEYS) {
    if (c[k] !== undefined && typeof c[k] !== 'boolean') warnings.push(`"${k}" should be true or false.`);
  }
  if (c.code !== undefined && (typeof c.code !== 'string' || !c.code.startsWith('/'))) {
    errors.push(`"code" must be an absolute path (got ${JSON.stringify(c.code)}).`);
  }
  if (c.workdir !== undefined && (typeof c.workdir !== 'string' || !/^[/%]/.test(c.workdir))) {
    errors.push(`"workdir" must start with "/" or a placeholder (got ${JSON.stringify(c.workdir)}).`);
  }
  if (c.persistence !== undefined && c.persistence !== null) {
    if (!isStringList(c.persistence)) errors.push('"persistence" must be a list of absolute paths.');
    else {
      const code = typeof c.code === 'string' ? c.code.replace(/\/+$/, '') : '/code';
      for (const p of c.persistence as string[]) {
        if (!p.startsWith('/')) errors.push(`Persistence path "${p}" must be absolute.`);
        else if (p === code || p.startsWith(`${code}/`)) {
          warnings.push(`Persistence path "${p}" is inside the code dir (${code}): it is mounted over the code copy and hides any committed files there.`);
        }
      }
    }
  }
  if (c.environment !== undefined && c.environment !== null) {
    if (!isStringList(c.environment)) errors.push('"environment" must be a list of KEY=VALUE strings.');
    else {
      for (const e of c.environment as string[]) {
        if (!e.includes('=')) warnings.push(`Environment entry "${e}" has no "=" and will be ignored.`);
      }
    }
  }
  errors.push(...repoPathErrors(c));
  if (typeof c.image === 'string' && reservedImage(c.image)) {
    errors.push(`"image" may not name "${c.image}": aocbench-<name> images are other participants' and image ids may be anyone's.`);
  }
  if (!c.image && !findDockerfile(c, exists)) {
    const tried = c.dockerfile !== undefined ? list(c.dockerfile) : DEFAULT_DOCKERFILES;
    errors.push(`No "image" and no Dockerfile found (looked for ${tried.join(', ')}).`);
  }
  if (errors.length) return { state: 'error', messages: [...errors, ...warnings] };
  if (warnings.length) return { state: 'warning', messages: warnings };
  return { state: 'ok', messages: ['Config is valid.'] };
}

/** Keys that name files of the repository; a value that leaves it is refused, whatever placeholders do. */
const REPO_PATH_KEYS = ['daypath', 'inputfile', 'answerfile', 'dockerfile', 'common'];

function leavesRepo(p: string): boolean {
  const n = posix.normalize(p.replace(/%[a-z]+%/g, '1'));
  return posix.isAbsolute(n) || n === '..' || n.startsWith('../');
}

/** Errors naming each key whose path leaves the repository (or, for persistence, uses `..`). */
function repoPathErrors(c: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k of REPO_PATH_KEYS) {
    const v = c[k];
    if (typeof v !== 'string' && !isStringList(v)) continue;
    for (const p of list(v)) if (leavesRepo(p)) out.push(`"${k}": "${p}" points outside the repository (paths are relative to the repository root).`);
  }
  if (isStringList(c.persistence)) {
    for (const p of c.persistence as string[]) if (p.split('/').includes('..')) out.push(`"persistence": "${p}" must not contain "..".`);
  }
  return out;
}

/** Our own participants' images (aocbench-<name>) and bare image ids: names a participant may not run in. */
export function reservedImage(ref: string): boolean {
  return /^aocbench-[^/:@]+(:[^/]*)?$/i.test(ref) || /^(sha256:)?[0-9a-f]{12,64}$/i.test(ref);
}

/** The images a Dockerfile builds FROM that a participant may not use (another participant's, or an image id). */
export function reservedBases(dockerfile: string): string[] {
  const stages = new Set<string>();
  const bad: string[] = [];
  for (const m of dockerfile.matchAll(/^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/gim)) {
    if (!stages.has(m[1].toLowerCase()) && reservedImage(m[1])) bad.push(m[1]);
    if (m[2]) stages.add(m[2].toLowerCase());
  }
  return bad;
}

function findDockerfile(c: Record<string, unknown>, exists: (p: string) => boolean): string | undefined {
  const candidates = c.dockerfile !== undefined && c.dockerfile !== null ? list(c.dockerfile) : DEFAULT_DOCKERFILES;
  return candidates.map(normalizeRepoPath).find((p) => exists(p));
}

export function normalizeRepoPath(p: string): string {
  return p.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
}

/** Applies AoCBench's defaults; call only on a config that validated without error. */
export function withDefaults(raw: Record<string, unknown>, exists: (p: string) => boolean = () => true): ParticipantConfig {
  const code = typeof raw.code === 'string' ? raw.code : '/code';
  const daypath = typeof raw.daypath === 'string' ? raw.daypath : '%day%';
  const dockerfile = findDockerfile(raw, exists);
  return {
    version: String(raw.version),
    author: raw.author as string | undefined,
    language: list(raw.language),
    versionprefix: typeof raw.versionprefix === 'string' ? raw.versionprefix : '',
    dockerfile: dockerfile ? [dockerfile] : [],
    image: (raw.image as string | undefined) || undefined,
    code,
    persistence: list(raw.persistence),
    // AoCBench falls back to the raw `code` key and can end up with a bare `cd`; we use the mount point.
    workdir: typeof raw.workdir === 'string' ? raw.workdir : code,
    runonce: (raw.runonce as string | undefined) || undefined,
    prerun: (raw.prerun as string | undefined) || undefined,
    cmd: String(raw.cmd),
    notty: raw.notty === true,
    hyperfine: raw.hyperfine !== false,
    hyperfineshell: raw.hyperfineshell === true,
    environment: list(raw.environment).filter((e) => e.includes('=')),
    daypath,
    common: list(raw.common),
    inputfile: typeof raw.inputfile === 'string' ? raw.inputfile : `${normalizeRepoPath(daypath)}/input.txt`,
    answerfile: typeof raw.answerfile === 'string' ? raw.answerfile : `${normalizeRepoPath(daypath)}/answers.txt`,
  };
}

/**
 * Parses, merges the admin override over the repo's file, validates and applies
 * defaults. A file that needed the lenient parser still loads, with a warning.
 */
export function loadParticipantConfig(
  text: string | null,
  opts: { override?: Record<string, unknown>; exists?: (p: string) => boolean } = {},
): LoadedConfig {
  let base: Record<string, unknown> = {};
  const notes: string[] = [];
  if (text === null) {
    if (!opts.override) {
      return { raw: null, config: null, validation: { state: 'error', messages: ['No .aocbench.yaml or .aocbench.yml in the repository.'] } };
    }
  } else {
    const parsed = parseYamlLenient(text);
    if (parsed.errors.length) {
      return { raw: null, config: null, validation: { state: 'error', messages: [`YAML does not parse: ${parsed.errors[0]}`] } };
    }
    const js = parsed.doc.toJS();
    if (js === null || typeof js !== 'object' || Array.isArray(js)) {
      return { raw: null, config: null, validation: { state: 'error', messages: ['Config is not a mapping of keys to values.'] } };
    }
    base = js as Record<string, unknown>;
    if (parsed.lenient) notes.push('Values starting with "%" should be quoted (not valid YAML 1.2); loaded leniently.');
  }
  const raw = { ...base, ...(opts.override ?? {}) };
  const v = validateConfig(raw, opts.exists);
  const messages = notes.length ? [...(v.state === 'ok' ? [] : v.messages), ...notes] : v.messages;
  const state: ValidationState = v.state === 'ok' && notes.length ? 'warning' : v.state;
  const validation = { state, messages };
  return { raw, config: state === 'error' ? null : withDefaults(raw, opts.exists), validation };
}
