import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from './git-repo.ts';

/** Git with the environment of the test's own repositories, reading `input` on stdin. */
function gitIn(dir: string, input: string | Buffer, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    input,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
  }).trim();
}

/** Commits a root tree made of HEAD's entries plus these `mode type id\tname` lines. */
function commitWith(dir: string, extra: string[], message: string): string {
  const entries = git(dir, 'ls-tree', 'HEAD').trim().split('\n').filter(Boolean);
  const root = gitIn(dir, `${[...entries, ...extra].join('\n')}\n`, 'mktree');
  const c = gitIn(dir, '', 'commit-tree', root, '-p', 'HEAD', '-m', message);
  git(dir, 'update-ref', 'HEAD', c);
  return c;
}

/**
 * A git bomb: one blob, and trees of `width` entries that each name the tree
 * below `depth` times, so a few hundred bytes of objects list width^depth paths.
 */
export function commitGitBomb(dir: string, width: number, depth: number): string {
  let id = gitIn(dir, 'boom\n', 'hash-object', '-w', '--stdin');
  let line = (i: number) => `100644 blob ${id}\tf${i}`;
  for (let level = 0; level < depth; level++) {
    id = gitIn(dir, `${Array.from({ length: width }, (_, i) => line(i)).join('\n')}\n`, 'mktree');
    const tree = id;
    line = (i) => `040000 tree ${tree}\td${i}`;
  }
  return commitWith(dir, [`040000 tree ${id}\tbomb`], 'a git bomb');
}

/** A file of `mb` MB of zeros, written into the object store as a stream (a few hundred KB on disk). */
export function commitZeros(dir: string, name: string, mb: number): string {
  const id = execFileSync('sh', ['-c', `head -c ${mb}M /dev/zero | git hash-object -w --stdin`], { cwd: dir, encoding: 'utf8' }).trim();
  return commitWith(dir, [`100644 blob ${id}\t${name}`], `${mb} MB of zeros`);
}

/** A self-signed certificate for 127.0.0.1: nothing trusts it unless a config says so. */
export function selfSignedCert(dir: string): { key: Buffer; cert: Buffer } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

/**
 * An operator's home as a hostile participant would love it: a global git
 * config (both places git looks) whose credential helper, ssh command and URL
 * rewrites leave a marker in `marks` when run, and that turns TLS checks off.
 */
export function plantedHome(dir: string, marks: string): string {
  const home = join(dir, 'operator-home');
  mkdirSync(join(home, '.config/git'), { recursive: true });
  mkdirSync(marks, { recursive: true });
  const config = `[credential]
\thelper = "!f() { touch ${marks}/credential-helper; echo username=operator; echo password=operator-secret; }; f"
[core]
\tsshCommand = "touch ${marks}/ssh-command; false"
\taskPass = "touch ${marks}/askpass"
[http]
\tsslVerify = false
[protocol]
\tallow = always
[url "ext::sh -c touch% ${marks}/insteadof% #"]
\tinsteadOf = ssh://
`;
  writeFileSync(join(home, '.gitconfig'), config);
  writeFileSync(join(home, '.config/git/config'), config);
  writeFileSync(join(home, '.git-credentials'), 'https://operator:operator-secret@127.0.0.1\n');
  return home;
}
