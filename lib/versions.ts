import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import { normalizeRepoPath } from './participant-config.ts';

/** One committed file (or uninitialised submodule) and its git object id. */
export interface TreeEntry {
  path: string;
  id: string;
}

function ancestors(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** Entries selected by a file, directory or glob pattern (relative to the repo root). */
export function matchEntries(entries: TreeEntry[], pattern: string): TreeEntry[] {
  const p = normalizeRepoPath(pattern);
  if (!p) return entries;
  const isMatch = picomatch(p, { dot: true });
  return entries.filter((e) => ancestors(e.path).some((a) => a === p || isMatch(a)));
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A version that depends only on committed content (git object ids), not on
 * commit history: a rebase or a fresh clone of the same files keeps it.
 * Null when nothing matches.
 */
export function contentVersion(entries: TreeEntry[], patterns: string[]): string | null {
  const seen = new Map<string, string>();
  for (const pat of patterns) for (const e of matchEntries(entries, pat)) seen.set(e.path, e.id);
  if (seen.size === 0) return null;
  const lines = [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([p, id]) => `${p} ${id}`);
  return sha256(lines.join('\n')).slice(0, 16);
}

/** `[prefix:]common:day`, readable on the health page and stable across clones. */
export function dayVersion(prefix: string, common: string | null, day: string): string {
  return [prefix, common ?? '-', day].filter((x) => x !== '').join(':');
}

export function inputVersion(input: string, answers: { part1: string | null; part2: string | null }): string {
  return sha256(JSON.stringify([input, answers.part1, answers.part2])).slice(0, 16);
}
