import { GitError, runGit, type GitRepo } from './env.ts';

/** A repository over a limit of the instance's `git` config: the reason, for the health page. */
export class GitLimitError extends GitError {}

/** One committed entry as `git ls-tree -r -l` names it, before any content is read. */
export interface Listed {
  mode: string;
  type: string;
  id: string;
  size: number;
  /** From the top of the participant's repository (submodule folders included). */
  path: string;
  /** From the top of the (sub)repository it is in: what `.gitmodules` names. */
  rel: string;
}

/** Counts shared by a repository and all its submodules. */
export interface Budget {
  entries: number;
  bytes: number;
}

/** Submodules nest at most this deep. */
export const MAX_SUBMODULE_DEPTH = 4;
/** A path no file system takes; a deep git bomb has them. */
const MAX_PATH_BYTES = 4096;
const mb = (n: number) => Math.round((n / (1024 * 1024)) * 10) / 10;

/**
 * Counts an entry against the limits before anything of it is read: the
 * sizes come from the listing, so a git bomb or a huge blob stops here.
 */
function count(repo: GitRepo, budget: Budget, e: Listed): void {
  const l = repo.limits;
  if (++budget.entries > l.maxEntries) throw new GitLimitError(`the repository has over ${l.maxEntries} committed files (git.maxEntries); none of them was read`);
  if (e.type !== 'blob') return;
  if (e.size > l.maxBlobBytes) throw new GitLimitError(`${e.path.slice(0, 200)} is ${mb(e.size)} MB, over the ${mb(l.maxBlobBytes)} MB limit for one file (git.maxBlobMb); it was not read`);
  budget.bytes += e.size;
  if (budget.bytes > l.maxBytes) throw new GitLimitError(`the committed files add up to over ${mb(l.maxBytes)} MB (git.maxMb); none of them was read`);
}

/** Every entry of a commit's tree, read as a stream and stopped at the first limit it passes. */
export async function listTree(repo: GitRepo, rev: string, prefix: string, budget: Budget): Promise<Listed[]> {
  const out: Listed[] = [];
  let rest = Buffer.alloc(0);
  const parse = (rec: Buffer) => {
    const tab = rec.indexOf(9);
    const [mode, type, id, size] = rec.subarray(0, tab).toString().split(/ +/);
    if (rec.length - tab - 1 + prefix.length > MAX_PATH_BYTES) throw new GitLimitError(`a committed path is longer than ${MAX_PATH_BYTES} bytes`);
    const rel = rec.subarray(tab + 1).toString('utf8');
    const e: Listed = { mode, type, id, size: Number(size) || 0, path: prefix + rel, rel };
    count(repo, budget, e);
    out.push(e);
  };
  await runGit(repo, ['ls-tree', '-r', '-l', '--full-tree', '-z', rev], {
    onData: (chunk) => {
      let buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      let nul: number;
      while ((nul = buf.indexOf(0)) >= 0) {
        parse(buf.subarray(0, nul));
        buf = buf.subarray(nul + 1);
      }
      if (buf.length > MAX_PATH_BYTES + 200) throw new GitLimitError(`a committed path is longer than ${MAX_PATH_BYTES} bytes`);
      rest = Buffer.from(buf);
    },
  });
  return out;
}

/** Where a walk is: the commit, its folder in the participant's tree, and the URL its relative submodule URLs resolve against. */
export interface Level {
  rev: string;
  prefix: string;
  url: string | null;
  depth: number;
}

/** Of these submodule entries, the ones to read (their commits are in the repository), with each one's URL. */
export type Descend = (links: Listed[], level: Level) => Promise<Map<string, string | null>>;

/**
 * Every committed entry of `rev` and of the submodules `descend` picks, all
 * counted against one budget. A submodule not descended into stays an entry
 * of mode 160000 (nothing to copy).
 */
export async function walkCommit(repo: GitRepo, level: Level, budget: Budget, descend: Descend): Promise<Listed[]> {
  const listed = await listTree(repo, level.rev, level.prefix, budget);
  const links = listed.filter((e) => e.type === 'commit');
  if (!links.length) return listed;
  const chosen = await descend(links, level);
  const out = listed.filter((e) => !chosen.has(e.path));
  for (const link of links) {
    if (!chosen.has(link.path)) continue;
    const child = { rev: link.id, prefix: `${link.path}/`, url: chosen.get(link.path) ?? null, depth: level.depth + 1 };
    out.push(...(await walkCommit(repo, child, budget, descend)));
  }
  return out;
}

/** Which of these object ids are commits present in the repository (one `cat-file --batch-check`). */
export async function presentCommits(repo: GitRepo, ids: string[]): Promise<Set<string>> {
  const want = [...new Set(ids)];
  if (!want.length) return new Set();
  const out = (await runGit(repo, ['cat-file', '--batch-check'], { input: `${want.join('\n')}\n` })).toString();
  const present = new Set<string>();
  for (const line of out.split('\n')) {
    const [id, type] = line.split(' ');
    if (type === 'commit') present.add(id);
  }
  return present;
}

/** Submodule commits are fetched into the participant's own repository and kept alive by these refs. */
export const MODULE_REFS = 'refs/aocbench/modules/';

/** Reading what a sync accepted: the submodules whose commits it fetched under MODULE_REFS, no network. */
export function descendAccepted(repo: GitRepo): Descend {
  return async (links, level) => {
    const chosen = new Map<string, string | null>();
    if (level.depth >= MAX_SUBMODULE_DEPTH) return chosen;
    const refs = (await runGit(repo, ['for-each-ref', '--format=%(refname)', MODULE_REFS])).toString().split('\n');
    const accepted = new Set(refs.map((r) => r.slice(MODULE_REFS.length)));
    for (const l of links) if (accepted.has(l.id)) chosen.set(l.path, null);
    return chosen;
  };
}
