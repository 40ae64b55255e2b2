import { join } from 'node:path';
import { checkRepoUrl } from '../../lib/repo-url.ts';
import { gitRepo, runGit, type GitLimits } from './env.ts';

export interface HeadQuery {
  url: string;
  branch?: string | null;
  /** The participant's clone. */
  dir: string;
}

/** Shells run side by side: remotes are network-bound, as the syncs are (prepare/sync-and-load.ts). */
const WAYS = 4;

// One git per remote, each section of the output headed by its index; a remote that does not answer prints nothing.
const REV_PARSE = `i=0
while [ $# -gt 0 ]; do
  at=$1; src=$2; shift 2
  printf '@@%s\\n' "$i"
  GIT_CEILING_DIRECTORIES="\${at%/*}" git -c "safe.directory=$at" -c "safe.directory=$at/.git" -C "$at" rev-parse --verify --end-of-options "$src^{commit}" 2>/dev/null
  i=$((i+1))
done
exit 0`;
const LS_REMOTE = `i=0
while [ $# -gt 0 ]; do
  gitdir=$1; url=$2; src=$3; shift 3
  printf '@@%s\\n' "$i"
  git --git-dir="$gitdir" ls-remote --end-of-options "$url" "$src" 2>/dev/null
  i=$((i+1))
done
exit 0`;

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const srcOf = (q: HeadQuery) => (q.branch ? `refs/heads/${q.branch}` : 'HEAD');

/**
 * The commit each remote's branch (or HEAD) names now, asked of all of them
 * at once: one shell per quarter of the list runs one git per remote (`git
 * rev-parse` in a file:// remote, `git ls-remote` elsewhere), in the same
 * environment runGit gives git. Starting a process from this one costs about
 * 3 ms of its CPU (it is large: fork copies its page tables); from a shell,
 * a fraction of that. Null for a remote that did not answer (the batch's
 * deadline passed, the remote is gone): its sync asks again on its own and
 * reports why.
 */
export async function remoteHeads(queries: HeadQuery[], limits: GitLimits): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>(queries.map((q) => [q.dir, null]));
  // A URL syncRepo would refuse is not asked either (it says why there).
  queries = queries.filter((q) => !checkRepoUrl(q.url));
  // file:// is allowed only in the environment of the file:// remotes' own commands, as in runGit.
  const files = queries.filter((q) => q.url.startsWith('file://'));
  const others = queries.filter((q) => !q.url.startsWith('file://'));
  const chunks = <T>(xs: T[]) => Array.from({ length: Math.min(WAYS, xs.length) }, (_, k) => xs.filter((_, i) => i % WAYS === k));
  await Promise.all([
    ...chunks(files).map((part) =>
      ask(part, limits, REV_PARSE, part.flatMap((q) => [decodeURIComponent(new URL(q.url).pathname).replace(/\/+$/, ''), srcOf(q)]), (q, lines) => (SHA.test(lines[0] ?? '') ? lines[0] : null), out),
    ),
    ...chunks(others).map((part) =>
      ask(part, limits, LS_REMOTE, part.flatMap((q) => [join(q.dir, '.git'), q.url, srcOf(q)]), (q, lines) => {
        // ls-remote matches patterns on the ref's tail: only the exact name counts.
        const sha = lines.map((l) => l.split('\t')).find(([, ref]) => ref === srcOf(q))?.[0] ?? '';
        return SHA.test(sha) ? sha : null;
      }, out),
    ),
  ]);
  return out;
}

async function ask(part: HeadQuery[], limits: GitLimits, script: string, args: string[], read: (q: HeadQuery, lines: string[]) => string | null, out: Map<string, string | null>): Promise<void> {
  const repo = gitRepo(part[0].dir, limits);
  const text = await runGit(repo, [], {
    remote: { url: part[0].url, useKey: true },
    maxOutput: 64 * 1024 + part.length * 512,
    program: { file: '/bin/sh', args: ['-c', script, 'aocbench-heads', ...args], what: 'the head check' },
  })
    .then((b) => b.toString())
    // Past the deadline or failed as a whole: no remote of this part is answered here; each sync asks on its own.
    .catch(() => '');
  let current = -1;
  const sections = new Map<number, string[]>();
  for (const line of text.split('\n')) {
    const head = /^@@(\d+)$/.exec(line);
    if (head) sections.set((current = Number(head[1])), []);
    else if (current >= 0 && line) sections.get(current)!.push(line);
  }
  for (const [i, q] of part.entries()) out.set(q.dir, read(q, sections.get(i) ?? []));
}
