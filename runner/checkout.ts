import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { gitClient } from './git/sync.ts';

/**
 * Puts tracked files back to HEAD and removes untracked files. Ignored files
 * (build caches such as target/) survive between days unless `full` is set,
 * as in AoCBench, where they lasted one participant's pass.
 */
export async function resetCheckout(dir: string, full = false, decrypted?: Map<string, string>): Promise<void> {
  const git = gitClient(dir);
  const flags = full ? '-ffdxq' : '-ffdq';
  await git.reset(['--hard', '-q', 'HEAD']);
  await git.raw(['clean', flags]);
  if (existsSync(join(dir, '.gitmodules'))) {
    await git.subModule(['foreach', '--recursive', `git reset -q --hard && git clean ${flags}`]);
  }
  // The reset brought back ciphertext: the participant's code sees its files decrypted.
  for (const [path, plain] of decrypted ?? []) await writeInsideRepo(dir, path, plain);
}

export class PathEscapeError extends Error {}

/** Checks that a repo-relative path stays inside the repo; returns the normalised relative path. */
export function safeRelative(rel: string): string {
  const n = normalize(rel).replace(/^(\.\/)+/, '');
  if (isAbsolute(rel) || n === '..' || n.startsWith(`..${sep}`) || n === '.' || n === '') {
    throw new PathEscapeError(`path "${rel}" points outside the repository`);
  }
  return n;
}

/**
 * Writes a file into a checkout without following symlinks: a committed link
 * such as `1/input.txt -> /etc/passwd` must not let us write outside the repo.
 */
export async function writeInsideRepo(repoDir: string, rel: string, content: string): Promise<void> {
  const n = safeRelative(rel);
  const parts = n.split(sep);
  let cur = repoDir;
  for (let i = 0; i < parts.length; i++) {
    cur = join(cur, parts[i]);
    const st = await lstat(cur).catch(() => null);
    if (st?.isSymbolicLink()) throw new PathEscapeError(`path "${rel}" goes through a symbolic link (${parts.slice(0, i + 1).join('/')})`);
    if (!st && i < parts.length - 1) await mkdir(cur, { mode: 0o777 });
  }
  await writeFile(cur, content, { mode: 0o666 });
  await chmod(cur, 0o666);
}
