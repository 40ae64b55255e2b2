import { runGit, type GitRepo } from './env.ts';

/**
 * The content of many blobs from one `git cat-file --batch` process: one
 * spawn per file would cost seconds for a repository of a few thousand files.
 * Callers ask only for blobs whose listed sizes passed the limits; the output
 * is capped at those sizes anyway.
 */
export async function readBlobs(repo: GitRepo, ids: string[], sizes: number): Promise<Map<string, Buffer>> {
  const want = [...new Set(ids)];
  if (!want.length) return new Map();
  const out = await runGit(repo, ['cat-file', '--batch'], { input: `${want.join('\n')}\n`, maxOutput: sizes + want.length * 100 });
  const blobs = new Map<string, Buffer>();
  let at = 0;
  for (const id of want) {
    const nl = out.indexOf(10, at);
    if (nl < 0) throw new Error('git cat-file --batch: output ended early');
    const [oid, type, size] = out.subarray(at, nl).toString().split(' ');
    if (type === 'missing' || oid !== id) throw new Error(`git cat-file --batch: object ${id} is missing`);
    const n = Number(size);
    blobs.set(id, out.subarray(nl + 1, nl + 1 + n));
    at = nl + 1 + n + 1; // content, then a newline
  }
  return blobs;
}
