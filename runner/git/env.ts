import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GitConfig } from '../../lib/instance-config.ts';

/**
 * The one place that decides how git runs for a participant's repository:
 * the repository is hostile, and so is every URL in it. Git gets an empty
 * home, no system or global config, no SSH agent or keys of the operator, no
 * credential helper, no prompt, an allow-list of transports, a deadline, and
 * its own process group so that a deadline or the runner's exit ends every
 * process it started (remote helpers, ssh, index-pack).
 */

export interface GitLimits {
  maxEntries: number;
  maxBytes: number;
  maxBlobBytes: number;
  timeoutMs: number;
  submoduleHosts: string[];
  sshKeyFile?: string;
}

const MB = 1024 * 1024;

export function gitLimits(cfg?: Partial<GitConfig>): GitLimits {
  return {
    maxEntries: cfg?.maxEntries ?? 100_000,
    maxBytes: (cfg?.maxMb ?? 1024) * MB,
    maxBlobBytes: (cfg?.maxBlobMb ?? 100) * MB,
    timeoutMs: (cfg?.timeoutSec ?? 600) * 1000,
    submoduleHosts: cfg?.submoduleHosts ?? [],
    sshKeyFile: cfg?.sshKeyFile,
  };
}

/** A host-only repository of one participant: `<dir>/.git`, never checked out. */
export interface GitRepo {
  gitDir: string;
  /** `<repos>/.git-host`: the empty home and ssh's known hosts; no participant folder starts with a dot. */
  hostDir: string;
  limits: GitLimits;
}

export function gitRepo(dir: string, limits: GitLimits = gitLimits()): GitRepo {
  return { gitDir: join(dir, '.git'), hostDir: join(dirname(dir), '.git-host'), limits };
}

/** How one command may reach a remote: file:// only for a URL the policy accepted, the operator's key only for a participant's own URL. */
export interface Remote {
  url: string;
  useKey?: boolean;
}

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
/** An ssh option naming a file: quoted for ssh's own parser (spaces), then for the shell git runs it with. */
const sshPath = (key: string, path: string) => shq(`${key}="${path.replace(/"/g, '')}"`);

/**
 * Fetch's own options for a URL. A file:// repository may belong to another
 * user (a mounted folder), which git refuses unless the path is marked safe,
 * and git does not pass our config on to the local upload-pack; upload-pack
 * is built to serve untrusted repositories, so that one path is marked safe for it.
 */
export function fetchArgs(url: string): string[] {
  const base = ['fetch', '-q', '--no-tags', '--no-write-fetch-head', '--no-recurse-submodules'];
  if (!url.startsWith('file://')) return base;
  const path = decodeURIComponent(new URL(url).pathname).replace(/\/+$/, '');
  return [...base, `--upload-pack=git -c safe.directory=${shq(path)} -c safe.directory=${shq(`${path}/.git`)} upload-pack`];
}

/** Command-line config: it outranks the repository's own config, which only aocbench writes anyway. */
function configPairs(allowFile: boolean): Array<[string, string]> {
  return [
    ['protocol.allow', 'never'],
    ['protocol.https.allow', 'always'],
    ['protocol.ssh.allow', 'always'],
    ['protocol.file.allow', allowFile ? 'always' : 'never'],
    ['protocol.git.allow', 'never'],
    ['protocol.ext.allow', 'never'],
    // An empty value empties the list of helpers: no stored or cached credential is ever offered.
    ['credential.helper', ''],
    ['core.askPass', ''],
    ['core.hooksPath', '/dev/null'],
    ['core.fsmonitor', 'false'],
    ['submodule.recurse', 'false'],
    ['fetch.recurseSubmodules', 'false'],
    // Git's housekeeping after a fetch runs in the (untimed) sync, never detached into a timed run.
    ['gc.autoDetach', 'false'],
    ['maintenance.autoDetach', 'false'],
  ];
}

/** Operator settings that reach the network, not credentials of a user: kept. */
const INHERITED = ['PATH', 'TMPDIR', 'http_proxy', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY', 'ALL_PROXY', 'all_proxy', 'SSL_CERT_FILE', 'SSL_CERT_DIR'];

/** The whole environment of a participant's git command: nothing else of the runner's reaches it. */
export function participantGitEnv(repo: GitRepo, remote?: Remote): NodeJS.ProcessEnv {
  const home = join(repo.hostDir, 'home');
  const allowFile = !!remote?.url.startsWith('file://');
  const key = remote?.useKey ? repo.limits.sshKeyFile : undefined;
  // ssh reads ~/.ssh of the passwd entry, not $HOME: every file it could use is named here instead.
  const ssh = [
    'ssh', '-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'IdentityAgent=none', '-o', 'IdentitiesOnly=yes',
    '-o', sshPath('IdentityFile', key ?? '/dev/null'), '-o', 'StrictHostKeyChecking=accept-new',
    '-o', sshPath('UserKnownHostsFile', join(repo.hostDir, 'known_hosts')), '-o', 'ControlPath=none', '-o', 'ProxyCommand=none',
    '-o', 'PermitLocalCommand=no', '-o', 'ConnectTimeout=30',
  ].join(' ');
  const env = Object.fromEntries(INHERITED.filter((k) => process.env[k]).map((k) => [k, process.env[k]])) as NodeJS.ProcessEnv;
  const pairs = configPairs(allowFile);
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: 'false',
    GIT_SSH_COMMAND: ssh,
    GIT_SSH_VARIANT: 'ssh',
    // Applies to every transport git starts, submodules and redirects included; outranks protocol.*.allow.
    GIT_ALLOW_PROTOCOL: allowFile ? 'https:ssh:file' : 'https:ssh',
    GIT_CONFIG_COUNT: String(pairs.length),
    ...Object.fromEntries(pairs.flatMap(([k, v], i) => [[`GIT_CONFIG_KEY_${i}`, k], [`GIT_CONFIG_VALUE_${i}`, v]])),
  });
  return env;
}

export class GitError extends Error {}

/** Live git process groups: the runner's exit (a SIGTERM handler's process.exit included) ends them all. */
const live = new Set<number>();
let hooked = false;
function track(pid: number): void {
  live.add(pid);
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const p of live) killGroup(p);
  });
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export interface RunOptions {
  remote?: Remote;
  input?: string;
  /** Largest stdout kept (bytes) when no onData consumes it. */
  maxOutput?: number;
  /** Consumes stdout as it arrives; throwing stops git and fails the command with that error. */
  onData?: (chunk: Buffer) => void;
  /** Run this program (a shell running several git commands, git/heads.ts) instead of git itself, in git's environment. */
  program?: { file: string; args: string[]; what: string };
}

/** Git's empty homes made so far by this process: one mkdir each, not one per git command. */
const homes = new Set<string>();

/** One git command on the participant's repository; stdout (unless consumed by onData). */
export function runGit(repo: GitRepo, args: string[], opts: RunOptions = {}): Promise<Buffer> {
  const home = join(repo.hostDir, 'home');
  if (!homes.has(home)) {
    mkdirSync(home, { recursive: true, mode: 0o700 });
    homes.add(home);
  }
  const timeoutMs = repo.limits.timeoutMs;
  return new Promise((resolve, reject) => {
    const [file, argv] = opts.program ? [opts.program.file, opts.program.args] : ['git', [`--git-dir=${repo.gitDir}`, ...args]];
    const p = spawn(file, argv, {
      cwd: repo.hostDir,
      env: participantGitEnv(repo, opts.remote),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const what = opts.program?.what ?? `git ${args[0]}`;
    let failure: Error | null = null;
    const stop = (e: Error) => {
      failure ??= e;
      if (p.pid) killGroup(p.pid);
    };
    if (p.pid) track(p.pid);
    const timer = setTimeout(() => stop(new GitError(`${what} took over ${Math.round(timeoutMs / 1000)} s (git.timeoutSec) and was stopped`)), timeoutMs);
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    const maxOutput = opts.maxOutput ?? 16 * 1024 * 1024;
    p.stdout.on('data', (c: Buffer) => {
      if (failure) return;
      if (opts.onData) {
        try {
          opts.onData(c);
        } catch (e) {
          stop(e as Error);
        }
        return;
      }
      outBytes += c.length;
      if (outBytes > maxOutput) stop(new GitError(`${what} printed over ${Math.round(maxOutput / 1024)} KB`));
      else out.push(c);
    });
    p.stderr.on('data', (c: Buffer) => {
      if (err.length < 64 * 1024) err += c.toString();
    });
    p.stdin.on('error', () => {}); // git may exit before reading all of it
    p.on('error', (e) => stop(e));
    p.on('close', (code) => {
      clearTimeout(timer);
      if (p.pid) live.delete(p.pid);
      if (p.pid) killGroup(p.pid); // whatever it started and left behind
      if (failure) return reject(failure);
      if (code !== 0) return reject(new GitError(`${what} failed: ${err.trim().slice(-4000) || `exit ${code}`}`));
      resolve(Buffer.concat(out));
    });
    p.stdin.end(opts.input ?? '');
  });
}
