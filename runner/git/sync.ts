import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkRepoUrl } from '../../lib/repo-url.ts';
import { fetchArgs, gitLimits, gitRepo, runGit, type GitLimits, type GitRepo } from './env.ts';
import { remoteHeads } from './heads.ts';
import { fetchingDescend, pruneModuleRefs, SubmoduleError } from './submodules.ts';
import { GitLimitError, presentCommits, walkCommit } from './walk.ts';

export interface SyncResult {
  ok: boolean;
  operation: 'clone' | 'update';
  failedStep: string | null;
  output: string;
  head: string | null;
  /** Why the repository was refused (a limit, a submodule URL), for the health page; null when git itself failed. */
  refused?: string | null;
  /** The remote still names the commit HEAD is at: nothing was fetched. */
  unchanged?: boolean;
}

/** The commit a sync fetched; HEAD moves to it only once its content passed every limit. */
const FETCHED = 'refs/aocbench/head';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Files an older aocbench checked out (and its submodule clones): nothing reads a working tree now. */
async function dropWorkTree(dir: string): Promise<void> {
  for (const name of await readdir(dir)) if (name !== '.git') await rm(join(dir, name), { recursive: true, force: true });
  await rm(join(dir, '.git', 'modules'), { recursive: true, force: true });
}

/** Fetches the branch (or the remote's HEAD), and `at` when it is not already here; the commit to check. */
async function fetchTarget(repo: GitRepo, url: string, branch: string | null | undefined, at: string | undefined, log: string[]): Promise<string> {
  const fetch = [...fetchArgs(url), url];
  const src = branch ? `refs/heads/${branch}` : 'HEAD';
  log.push(`$ git fetch ${url} ${src}`);
  await runGit(repo, [...fetch, `+${src}:${FETCHED}`], { remote: { url, useKey: true } });
  if (at && !(await presentCommits(repo, [at])).has(at)) {
    log.push(`$ git fetch ${url} ${at}`);
    await runGit(repo, [...fetch, `+${at}:refs/aocbench/at`], { remote: { url, useKey: true } });
  }
  return (await runGit(repo, ['rev-parse', '--verify', '--end-of-options', `${at ?? FETCHED}^{commit}`])).toString().trim();
}

/**
 * Brings a participant's host-only repository to exactly its upstream
 * (force-push safe) without checking anything out: the runner reads
 * committed blobs. The new commit's tree and its submodules are listed with
 * the instance's limits before HEAD moves to it, so a refused commit leaves
 * the last good one in place. Never throws; the failing step and git's
 * output are returned for the health view.
 * With `at`, HEAD ends at that commit (a worker runs exactly what the coordinator planned).
 */
/** `knownHead`: the remote's head as the cycle's batch check found it (git/heads.ts); absent: asked here, the same way. */
export async function syncRepo(url: string, dir: string, branch?: string | null, at?: string, limits: GitLimits = gitLimits(), knownHead?: string | null): Promise<SyncResult> {
  const urlProblem = checkRepoUrl(url);
  const isRepo = existsSync(join(dir, '.git'));
  const operation = isRepo ? 'update' : 'clone';
  if (urlProblem) return { ok: false, operation, failedStep: 'url', output: urlProblem, head: null, refused: urlProblem };
  const repo = gitRepo(dir, limits);
  const log: string[] = [];
  let step = '';
  try {
    await mkdir(dir, { recursive: true });
    if (!isRepo) {
      step = 'clone';
      await runGit(repo, ['init', '-q', '--bare', '--template=']);
    } else {
      await dropWorkTree(dir);
      // Nothing changed upstream: one process asked, nothing fetched, nothing listed again.
      const current = (await readFile(join(dir, '.git', 'HEAD'), 'utf8').catch(() => '')).trim();
      const asked = async () => (knownHead !== undefined ? knownHead : (await remoteHeads([{ url, branch, dir }], limits)).get(dir));
      if (!at && current && (await asked()) === current) {
        return { ok: true, operation, failedStep: null, output: `$ git ${url.startsWith('file://') ? 'rev-parse' : 'ls-remote'} ${url}\nHEAD is ${current} (unchanged)`, head: current, refused: null, unchanged: true };
      }
    }
    // A first fetch is the clone, as the health page has always named it.
    step = isRepo ? 'fetch' : 'clone';
    const target = await fetchTarget(repo, url, branch, at, log);
    // The commit HEAD already names passed every check when it was fetched: nothing to list again.
    if ((await readFile(join(dir, '.git', 'HEAD'), 'utf8').catch(() => '')).trim() !== target) {
      step = 'submodules';
      const used = new Set<string>();
      await walkCommit(repo, { rev: target, prefix: '', url, depth: 0 }, { entries: 0, bytes: 0 }, fetchingDescend(repo, url, used, log));
      step = 'checkout';
      await runGit(repo, ['update-ref', '--no-deref', 'HEAD', target]);
      await pruneModuleRefs(repo, used);
    }
    log.push(`HEAD is ${target}`);
    return { ok: true, operation, failedStep: null, output: log.join('\n'), head: target, refused: null };
  } catch (e) {
    log.push(message(e));
    // A first clone that failed leaves nothing behind: the participant is simply not cloned yet.
    if (!isRepo) await rm(dir, { recursive: true, force: true }).catch(() => {});
    const refused = e instanceof GitLimitError || e instanceof SubmoduleError ? message(e) : null;
    return { ok: false, operation, failedStep: e instanceof GitLimitError ? 'limits' : step, output: log.join('\n'), head: null, refused };
  }
}
