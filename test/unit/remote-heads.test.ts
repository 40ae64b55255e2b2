/**
 * The batch head check (runner/git/heads.ts) with real git: each remote's
 * branch or HEAD, exactly where the URL points (a folder inside another
 * repository is not that repository), and null, never a throw, for a remote
 * that does not answer.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitLimits } from '../../runner/git/env.ts';
import { remoteHeads } from '../../runner/git/heads.ts';
import { commit, git, makeRepo, tempDir } from '../helpers/git-repo.ts';

describe('the batch head check', () => {
  it('answers every remote at once, each on its branch, and null where nothing answers', async () => {
    const base = tempDir();
    const a = makeRepo({ 'x.txt': 'a' }, base);
    const b = makeRepo({ 'x.txt': 'b' }, base);
    git(b.dir, 'checkout', '-q', '-b', 'dev');
    commit(b.dir, { 'y.txt': 'dev only' });
    git(b.dir, 'checkout', '-q', 'main');
    // A folder inside a repository: not a repository itself, so it has no head (git must not climb to the parent's).
    const inner = join(a.dir, 'sub');
    mkdirSync(inner);
    const clones = join(base, 'data', 'repos');
    const dir = (n: string) => join(clones, n);
    const queries = [
      { url: a.url, dir: dir('a') },
      { url: b.url, branch: 'dev', dir: dir('b') },
      { url: `file://${inner}`, dir: dir('inner') },
      { url: `file://${join(base, 'gone')}`, dir: dir('gone') },
      // Refused at once (nothing listens on port 1): ls-remote fails, the batch does not.
      { url: 'ssh://git@127.0.0.1:1/x.git', dir: dir('ssh') },
      // A URL the sync refuses is not asked.
      { url: 'ext::sh -c touch% /tmp/pwned', dir: dir('ext') },
    ];
    for (const q of queries) mkdirSync(join(q.dir, '.git'), { recursive: true });
    git(join(dir('ssh')), 'init', '-q', '--bare', '.git');
    const heads = await remoteHeads(queries, gitLimits({ timeoutSec: 30 }));
    expect(heads.get(dir('a'))).toBe(git(a.dir, 'rev-parse', 'HEAD').trim());
    expect(heads.get(dir('b'))).toBe(git(b.dir, 'rev-parse', 'dev').trim());
    expect(heads.get(dir('b'))).not.toBe(git(b.dir, 'rev-parse', 'main').trim());
    expect(heads.get(dir('inner'))).toBeNull();
    expect(heads.get(dir('gone'))).toBeNull();
    expect(heads.get(dir('ssh'))).toBeNull();
    expect(heads.get(dir('ext'))).toBeNull();
  });

  it("a remote's path is data, never shell: quotes, $(…), backquotes and ; in it are answered, and run nothing", async () => {
    const base = tempDir();
    // Whitespace is refused in any repository URL (lib/repo-url.ts); everything a shell would act on here is not.
    const odd = join(base, 'it\'s"odd"$(touch${IFS}pwned);`touch${IFS}pwned2`');
    mkdirSync(odd);
    git(odd, 'init', '-q', '-b', 'main');
    commit(odd, { 'x.txt': 'x' });
    const dir = join(base, 'data', 'repos', 'odd');
    mkdirSync(join(dir, '.git'), { recursive: true });
    const heads = await remoteHeads([{ url: `file://${odd}`, dir }], gitLimits({ timeoutSec: 30 }));
    expect(heads.get(dir)).toBe(git(odd, 'rev-parse', 'HEAD').trim());
    for (const where of [join(base, 'data', 'repos', '.git-host'), base, odd, process.cwd()]) {
      expect(existsSync(join(where, 'pwned')), where).toBe(false);
      expect(existsSync(join(where, 'pwned2')), where).toBe(false);
    }
  });
});
