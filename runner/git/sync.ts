import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { simpleGit, type SimpleGit } from 'simple-git';
import { checkRepoUrl } from '../../lib/repo-url.ts';

export interface SyncResult {
  ok: boolean;
  operation: 'clone' | 'update';
  failedStep: string | null;
  output: string;
  head: string | null;
}

const GIT_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * The environment of every git process: minimal, so nothing from the caller's
 * shell (editors, pagers, askpass) can be triggered, and only transports that
 * cannot run commands. Git only ever runs in clones no container sees.
 */
export function gitEnv(allowFile = false): Record<string, string> {
  const inherited = Object.fromEntries(
    ['PATH', 'HOME', 'SSH_AUTH_SOCK', 'LANG', 'TMPDIR'].filter((k) => process.env[k]).map((k) => [k, process.env[k] as string]),
  );
  return {
    ...inherited,
    GIT_TERMINAL_PROMPT: '0',
    GIT_SSH_COMMAND: 'ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new',
    // Applies to submodules too (`ext::` would run a command here); it overrides protocol.*.allow.
    GIT_ALLOW_PROTOCOL: allowFile ? 'file:https:ssh' : 'https:ssh',
    GIT_CONFIG_NOSYSTEM: '1',
    // Git's housekeeping after a fetch runs in the (untimed) sync, never detached into a timed run.
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: 'gc.autoDetach',
    GIT_CONFIG_VALUE_0: 'false',
    GIT_CONFIG_KEY_1: 'maintenance.autoDetach',
    GIT_CONFIG_VALUE_1: 'false',
  };
}

/** A git client that never prompts and only speaks transports that cannot run commands. */
export function gitClient(baseDir: string, repoUrl?: string): SimpleGit {
  const env = gitEnv(repoUrl?.startsWith('file://') ?? false);
  // These values are ours, never a participant's, so simple-git's environment guard may let them through.
  return simpleGit({
    baseDir,
    timeout: { block: GIT_TIMEOUT_MS },
    unsafe: { allowUnsafeSshCommand: true, allowUnsafeConfigEnvCount: true },
    allowEnvironment: Object.keys(env),
  }).env(env);
}

const pexec = promisify(execFile);

/**
 * One git command in a host-only clone, run directly: through simple-git,
 * commands that print nothing (fetch with nothing new, checkout -q, clean -q)
 * took ~55 ms each here against ~5 ms, a third of a push's latency budget.
 */
async function runGit(dir: string, url: string, args: string[]): Promise<string> {
  try {
    const env = gitEnv(url.startsWith('file://'));
    const { stdout } = await pexec('git', args, { cwd: dir, env: env as unknown as NodeJS.ProcessEnv, timeout: GIT_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' });
    return stdout;
  } catch (e) {
    const x = e as Error & { stderr?: string };
    throw new Error(`git ${args[0]} failed: ${(x.stderr || x.message).trim()}`);
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Clones or updates a participant repo to exactly its upstream: fetch, hard
 * reset (force-push safe), clean, submodules. Never throws; the failing step
 * and git's output are returned for the health view.
 */
/** With `at`, the checkout ends at that commit (a worker runs exactly what the coordinator planned), not at the branch's head. */
export async function syncRepo(url: string, dir: string, branch?: string | null, at?: string): Promise<SyncResult> {
  const urlProblem = checkRepoUrl(url);
  const isRepo = existsSync(join(dir, '.git'));
  const operation = isRepo ? 'update' : 'clone';
  if (urlProblem) return { ok: false, operation, failedStep: 'url', output: urlProblem, head: null };
  const log: string[] = [];
  let step = '';
  try {
    if (!isRepo) {
      await mkdir(dirname(dir), { recursive: true });
      step = 'clone';
      const args = ['--no-tags', ...(branch ? ['--branch', branch] : [])];
      log.push(`$ git clone ${args.join(' ')} ${url}`);
      await gitClient(dirname(dir), url).clone(url, dir, args);
    }
    if (isRepo) {
      // Every git process costs tens of ms of a push's latency: the URL is given to fetch directly, and origin's
      // configured URL is only kept in step where submodules resolve relative URLs against it.
      if (existsSync(join(dir, '.gitmodules'))) {
        step = 'set-url';
        await runGit(dir, url, ['remote', 'set-url', 'origin', url]);
      }
      step = 'fetch';
      const refspec = branch ? `+refs/heads/${branch}:refs/remotes/origin/${branch}` : '+refs/heads/*:refs/remotes/origin/*';
      log.push(`$ git fetch --prune ${url} ${refspec}`);
      await runGit(dir, url, ['fetch', '--prune', '--no-tags', url, refspec]);
      step = 'reset';
      const target = branch ? `origin/${branch}` : '@{upstream}';
      log.push(`$ git reset --hard ${target}`);
      // checkout -f -B moves the branch and the work tree at once, as reset --hard would.
      if (branch) await runGit(dir, url, ['checkout', '-q', '-f', '-B', branch, target]);
      else await runGit(dir, url, ['reset', '-q', '--hard', target]);
    }
    if (at) {
      step = 'checkout';
      log.push(`$ git reset --hard ${at}`);
      await runGit(dir, url, ['reset', '-q', '--hard', at]);
    }
    step = 'clean';
    await runGit(dir, url, ['clean', '-f', '-d', '-x', '-q']);
    if (existsSync(join(dir, '.gitmodules'))) {
      step = 'submodules';
      log.push('$ git submodule update --init --recursive --force');
      const git = gitClient(dir, url);
      await git.subModule(['sync', '--recursive']);
      await git.subModule(['update', '--init', '--recursive', '--force']);
      await git.subModule(['foreach', '--recursive', 'git reset -q --hard && git clean -ffdxq']);
    }
    const head = (await runGit(dir, url, ['rev-parse', 'HEAD'])).trim();
    log.push(`HEAD is ${head}`);
    return { ok: true, operation, failedStep: null, output: log.join('\n'), head };
  } catch (e) {
    log.push(message(e));
    return { ok: false, operation, failedStep: step, output: log.join('\n'), head: null };
  }
}
