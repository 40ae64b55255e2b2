import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { effectiveAnswers, ignoredParts, parseAnswers } from '../../lib/answers.ts';
import { dirName, type InstanceConfig, type ParticipantEntry } from '../../lib/instance-config.ts';
import type { TranscryptKey } from '../../lib/transcrypt.ts';
import { CONFIG_FILES, loadParticipantConfig, type ParticipantConfig, type Validation } from '../../lib/participant-config.ts';
import { expand } from '../../lib/placeholders.ts';
import type { InputCandidate } from '../../lib/shared-input.ts';
import type { DayInfo } from '../../lib/plan.ts';
import { contentVersion, dayVersion, matchEntries } from '../../lib/versions.ts';
import { dataPaths } from '../../lib/data-dir.ts';
import { PathEscapeError, safeRelative } from '../../lib/repo-path.ts';
import { CommittedTree, MAX_TEXT_BYTES } from '../git/tree.ts';
import { gitLimits } from '../git/env.ts';

export type { DayInfo } from '../../lib/plan.ts';

export interface ParticipantState {
  entry: ParticipantEntry;
  dirName: string;
  repoDir: string;
  tree: CommittedTree | null;
  config: ParticipantConfig | null;
  raw: Record<string, unknown> | null;
  validation: Validation;
  days: Map<number, DayInfo>;
  /** Why encrypted files stay unreadable; their inputs are then left out of shared inputs and the matrix. */
  decryptProblem: string | null;
}

/** The transcrypt key of a participant; the password is never part of a message. */
export function transcryptKey(entry: ParticipantEntry): { key: TranscryptKey | null; problem: string | null } {
  const e = entry.encryption;
  if (!e) return { key: null, problem: null };
  const password = e.password ?? (e.passwordEnv ? process.env[e.passwordEnv] : undefined);
  if (!password) return { key: null, problem: `no transcrypt password: the environment variable ${e.passwordEnv} is not set` };
  return { key: { password, cipher: e.cipher, kdf: e.kdf, digest: e.digest, iterations: e.iterations }, problem: null };
}

export function repoDirOf(dataDir: string, entry: ParticipantEntry): string {
  return dataPaths(dataDir).repo(entry);
}

function relOrProblem(path: string): { rel: string | null; problem: string | null } {
  try {
    return { rel: safeRelative(path), problem: null };
  } catch (e) {
    if (e instanceof PathEscapeError) return { rel: null, problem: e.message };
    throw e;
  }
}

async function readDay(tree: CommittedTree, cfg: ParticipantConfig, common: string | null, year: number, day: number, ignore: Array<string | number>): Promise<DayInfo> {
  const v = { day, year };
  const daypath = expand(cfg.daypath, v);
  const input = relOrProblem(expand(cfg.inputfile, v));
  const answer = relOrProblem(expand(cfg.answerfile, v));
  const dayEntries = matchEntries(tree.entries, daypath);
  // The input and answers have their own version: a new input alone is not new code.
  const io = new Set([input.rel, answer.rel].filter(Boolean).map((p) => posix.normalize(p!)));
  const code = dayEntries.filter((e) => !io.has(e.path) && !/(^|\/)\.(wip|nobench)$/.test(e.path));
  const dayVer = dayEntries.length ? (contentVersion(code, ['']) ?? 'no-code') : null;
  const inputText = input.rel ? await tree.read(posix.normalize(input.rel)) : null;
  const answerText = answer.rel ? await tree.read(posix.normalize(answer.rel)) : null;
  const dp = daypath.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  const markers = [`${dp}/.wip`, `${dp}/.nobench`, `${dp}.wip`, `${dp}.nobench`];
  return {
    day,
    exists: dayEntries.length > 0,
    wip: markers.some((m) => matchEntries(tree.entries, m).length > 0),
    version: dayVer ? dayVersion(cfg.versionprefix, common, dayVer) : null,
    inputPath: input.rel,
    answerPath: answer.rel,
    input: inputText,
    answers: effectiveAnswers(parseAnswers(answerText), ignoredParts(ignore, day)),
    problem: input.problem ?? answer.problem ?? tooLarge(tree, [input.rel, answer.rel]),
  };
}

function tooLarge(tree: CommittedTree, paths: Array<string | null>): string | null {
  const big = paths.find((p) => p && tree.tooLarge(posix.normalize(p)));
  return big ? `${big} is over ${MAX_TEXT_BYTES / (1024 * 1024)} MB and is not read` : null;
}

/** Every day's input and answers file, to read them all at once. */
function ioPaths(cfg: ParticipantConfig, instance: InstanceConfig): string[] {
  const out: string[] = [];
  for (let day = 1; day <= instance.days; day++) {
    for (const p of [cfg.inputfile, cfg.answerfile]) {
      const rel = relOrProblem(expand(p, { day, year: instance.year })).rel;
      if (rel) out.push(posix.normalize(rel));
    }
  }
  return out;
}

/** Reads everything the runner needs from a participant's committed content. */
export async function loadParticipantState(
  instance: InstanceConfig,
  dataDir: string,
  entry: ParticipantEntry,
): Promise<ParticipantState> {
  const repoDir = repoDirOf(dataDir, entry);
  const base = { entry, dirName: dirName(entry.name), repoDir, days: new Map<number, DayInfo>(), decryptProblem: null };
  if (!existsSync(join(repoDir, '.git'))) {
    return { ...base, tree: null, config: null, raw: null, validation: { state: 'error', messages: ['The repository has not been cloned (see the repository update status).'] } };
  }
  const { key, problem } = transcryptKey(entry);
  const whole = await CommittedTree.load(repoDir, key, gitLimits(instance.git));
  // A season's folder (`path:`) is the participant's repository for that season.
  const tree = entry.path ? whole.subtree(entry.path) : whole;
  if (!tree) {
    await whole.persist();
    return { ...base, tree: null, config: null, raw: null, validation: { state: 'error', messages: [`The folder ${entry.path} (path: in the instance config) has no committed files at ${whole.commit.slice(0, 12)}.`] } };
  }
  const n = tree.undecryptable.length;
  const decryptProblem = n
    ? (problem ?? (entry.encryption ? `cannot decrypt ${n} file(s): wrong password or cipher` : `${n} file(s) are transcrypt-encrypted but no encryption is configured for this participant`))
    : null;
  const file = CONFIG_FILES.find((f) => tree.has(f));
  const text = file ? await tree.read(file) : null;
  const loaded = loadParticipantConfig(text, { override: entry.config, exists: (p) => tree.has(p) });
  const state: ParticipantState = { ...base, tree, config: loaded.config, raw: loaded.raw, validation: loaded.validation, decryptProblem };
  if (loaded.config) {
    // Shared by every day: computed once, not once per day.
    const common = contentVersion(tree.entries, [...loaded.config.common, ...loaded.config.dockerfile, ...CONFIG_FILES]);
    await tree.prefetch(ioPaths(loaded.config, instance));
    for (let day = 1; day <= instance.days; day++) {
      state.days.set(day, await readDay(tree, loaded.config, common, instance.year, day, instance.ignoreAnswers));
    }
  }
  await whole.persist();
  return state;
}

/** The instance's own input for a day: `<inputsDir>/<day>.txt` (AoCBench) or `<inputsDir>/<day>/input.txt`. */
export async function inputsDirCandidate(inputsDir: string, day: number, ignore: Array<string | number>): Promise<InputCandidate | null> {
  const layouts = [
    [join(inputsDir, `${day}.txt`), join(inputsDir, `${day}.answers.txt`)],
    [join(inputsDir, String(day), 'input.txt'), join(inputsDir, String(day), 'answers.txt')],
  ];
  for (const [inp, ans] of layouts) {
    const input = await readFile(inp, 'utf8').catch(() => null);
    if (input === null) continue;
    const answers = await readFile(ans, 'utf8').catch(() => null);
    return { source: 'inputs', input, answers: effectiveAnswers(parseAnswers(answers), ignoredParts(ignore, day)) };
  }
  return null;
}
