import { fetchArgs, GitError, runGit, type GitRepo } from './env.ts';
import { resolveSubmoduleUrl, submoduleUrlProblem } from './submodule-url.ts';
import { MAX_SUBMODULE_DEPTH, MODULE_REFS, presentCommits, type Descend } from './walk.ts';

/** A submodule the host will not fetch: the reason, for the health page. */
export class SubmoduleError extends GitError {}

interface Module {
  url?: string;
  update?: string;
}

/** `.gitmodules` of a commit, read by git from the blob (no include is followed, nothing is written). */
async function gitmodules(repo: GitRepo, rev: string): Promise<Map<string, Module>> {
  const byName = new Map<string, Module & { path?: string }>();
  const blob = await gitmodulesBlob(repo, rev);
  if (!blob) return new Map();
  const out = (await runGit(repo, ['config', '-z', '--blob', blob, '--get-regexp', '^submodule\\..*\\.(path|url|update)$'])
    .catch(() => Buffer.alloc(0))).toString();
  for (const rec of out.split('\0')) {
    const nl = rec.indexOf('\n');
    if (nl < 0) continue;
    const key = rec.slice(0, nl);
    const m = /^submodule\.(.*)\.(path|url|update)$/.exec(key);
    if (!m) continue;
    const mod = byName.get(m[1]) ?? {};
    mod[m[2] as 'path' | 'url' | 'update'] = rec.slice(nl + 1);
    byName.set(m[1], mod);
  }
  return new Map([...byName.values()].filter((m) => m.path).map((m) => [m.path!.replace(/\/+$/, ''), m]));
}

/** Fetches one submodule commit by id, or, from a server that refuses that, its branches. */
async function fetchCommit(repo: GitRepo, url: string, id: string, log: string[]): Promise<void> {
  log.push(`$ git fetch ${url} ${id}`);
  const base = [...fetchArgs(url), url];
  try {
    await runGit(repo, [...base, `+${id}:${MODULE_REFS}${id}`], { remote: { url } });
    return;
  } catch (e) {
    // Only a server that refuses a commit by id gets a second try; one that cannot be reached does not.
    if (!/not our ref|unadvertised object|couldn't find remote ref|does not allow request/i.test((e as Error).message)) throw e;
    log.push(`  (${(e as Error).message.split('\n')[0]}; fetching its branches)`);
  }
  await runGit(repo, [...base, '+refs/heads/*:refs/aocbench/fetched/*'], { remote: { url } });
  if (!(await presentCommits(repo, [id])).has(id)) throw new SubmoduleError(`commit ${id} is not in ${url}`);
  await runGit(repo, ['update-ref', `${MODULE_REFS}${id}`, id]);
}

/**
 * The submodules of a sync: each URL checked against the policy before git
 * touches it, each commit fetched into the repository (the URLs' own
 * submodules resolve against them, as git's do). `used` collects the commits.
 */
export function fetchingDescend(repo: GitRepo, mainUrl: string, used: Set<string>, log: string[]): Descend {
  return async (links, level) => {
    if (level.depth >= MAX_SUBMODULE_DEPTH) throw new SubmoduleError(`submodules are nested deeper than ${MAX_SUBMODULE_DEPTH} levels`);
    const mods = await gitmodules(repo, level.rev);
    const present = await presentCommits(repo, links.map((l) => l.id));
    const chosen = new Map<string, string | null>();
    for (const link of links) {
      const mod = mods.get(link.rel);
      if (!mod?.url) {
        log.push(`submodule ${link.path}: no URL in .gitmodules, left out`);
        continue;
      }
      if (mod.update === 'none') continue;
      const url = resolveSubmoduleUrl(level.url ?? mainUrl, mod.url);
      const problem = submoduleUrlProblem(url, mainUrl, repo.limits.submoduleHosts);
      if (problem) throw new SubmoduleError(`submodule ${link.path}: ${problem}`);
      if (!present.has(link.id)) await fetchCommit(repo, url, link.id, log);
      else await runGit(repo, ['update-ref', `${MODULE_REFS}${link.id}`, link.id]);
      used.add(link.id);
      chosen.set(link.path, url);
    }
    return chosen;
  };
}

/** The blob of a commit's top-level `.gitmodules`, if it has one. */
async function gitmodulesBlob(repo: GitRepo, rev: string): Promise<string | null> {
  const rec = (await runGit(repo, ['ls-tree', '-z', rev, '--', '.gitmodules'])).toString().split('\0')[0];
  const [, type, id] = rec.slice(0, rec.indexOf('\t')).split(/ +/);
  return type === 'blob' ? id : null;
}

/** Drops the refs of submodule commits the current content no longer names, so git may collect them. */
export async function pruneModuleRefs(repo: GitRepo, used: Set<string>): Promise<void> {
  const refs = (await runGit(repo, ['for-each-ref', '--format=%(refname)', 'refs/aocbench/'])).toString().split('\n').filter(Boolean);
  const stale = refs.filter((r) => r.startsWith('refs/aocbench/fetched/') || (r.startsWith(MODULE_REFS) && !used.has(r.slice(MODULE_REFS.length))));
  if (stale.length) await runGit(repo, ['update-ref', '--stdin'], { input: stale.map((r) => `delete ${r}\n`).join('') });
}
