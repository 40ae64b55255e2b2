import { posix } from 'node:path';

export class PathEscapeError extends Error {}

/** Checks that a repo-relative path stays inside the repo; returns the normalised relative path. */
export function safeRelative(rel: string): string {
  const n = posix.normalize(rel).replace(/^(\.\/)+/, '');
  if (posix.isAbsolute(rel) || n === '..' || n.startsWith('../') || n === '.' || n === '') {
    throw new PathEscapeError(`path "${rel}" points outside the repository`);
  }
  return n;
}
