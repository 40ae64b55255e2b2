import { chownSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommittedTree } from '../../runner/git/tree.ts';
import { syncRepo } from '../../runner/git/sync.ts';
import { commit, git, makeRepo, tempDir } from '../helpers/git-repo.ts';

/** A committed file of the host's repository: nothing is checked out there. */
async function committed(dest: string, path: string): Promise<string | null> {
  return (await CommittedTree.load(dest)).read(path);
}

describe('git sync', () => {
  it('clones without a checkout, then follows a force-push exactly', async () => {
    const base = tempDir();
    const up = makeRepo({ 'a.txt': 'one\n' }, base);
    const dest = join(base, 'clone');
    const first = await syncRepo(up.url, dest);
    expect(first).toMatchObject({ ok: true, operation: 'clone' });
    commit(up.dir, { 'a.txt': 'two\n' });
    git(up.dir, 'reset', '--hard', 'HEAD~1');
    commit(up.dir, { 'a.txt': 'rewritten\n' }, 'rewrite history');
    expect(readdirSync(dest)).toEqual(['.git']);
    // A working tree an older version checked out is dropped.
    writeFileSync(join(dest, 'untracked.txt'), 'x');
    const second = await syncRepo(up.url, dest);
    expect(second).toMatchObject({ ok: true, operation: 'update' });
    expect(await committed(dest, 'a.txt')).toBe('rewritten\n');
    expect(existsSync(join(dest, 'untracked.txt'))).toBe(false);
    expect(second.head).toBe(git(up.dir, 'rev-parse', 'HEAD').trim());
  });

  it('checks out a configured branch', async () => {
    const base = tempDir();
    const up = makeRepo({ 'a.txt': 'main\n' }, base);
    git(up.dir, 'checkout', '-q', '-b', 'bench');
    commit(up.dir, { 'a.txt': 'bench\n' });
    git(up.dir, 'checkout', '-q', 'main');
    const dest = join(base, 'clone');
    expect((await syncRepo(up.url, dest, 'bench')).ok).toBe(true);
    expect(await committed(dest, 'a.txt')).toBe('bench\n');
    commit(up.dir, { 'b.txt': 'x' });
    git(up.dir, 'checkout', '-q', 'bench');
    commit(up.dir, { 'a.txt': 'bench 2\n' });
    expect((await syncRepo(up.url, dest, 'bench')).ok).toBe(true);
    expect(await committed(dest, 'a.txt')).toBe('bench 2\n');
    expect(await committed(dest, 'b.txt')).toBe(null);
  });

  it('initialises submodules and reads committed files inside them', async () => {
    const base = tempDir();
    const data = makeRepo({ '1/input.txt': 'secret input\n' }, base);
    const up = makeRepo({ 'README': 'x' }, base);
    git(up.dir, 'submodule', 'add', '-q', data.url, 'data');
    git(up.dir, 'commit', '-q', '-m', 'add submodule');
    const dest = join(base, 'clone');
    const r = await syncRepo(up.url, dest);
    expect(r.ok).toBe(true);
    const tree = await CommittedTree.load(dest);
    expect(await tree.read('data/1/input.txt')).toBe('secret input\n');
  });

  // A mounted folder of repositories often belongs to another uid; git's own refusal of those needs no config of the operator's.
  it.skipIf(process.getuid?.() !== 0)('reads a file:// repository that belongs to another user', async () => {
    const base = tempDir();
    const up = makeRepo({ 'a.txt': 'theirs\n' }, base);
    chownSync(up.dir, 65534, 65534);
    for (const f of readdirSync(up.dir, { recursive: true }) as string[]) chownSync(join(up.dir, f), 65534, 65534);
    const dest = join(base, 'clone');
    expect((await syncRepo(up.url, dest)).ok).toBe(true);
    expect(await committed(dest, 'a.txt')).toBe('theirs\n');
  });

  it('follows a relative submodule URL to its new commit, and lets the old commit go', async () => {
    const base = tempDir();
    const data = makeRepo({ 'input.txt': 'v1\n' }, base);
    const up = makeRepo({ 'README': 'x' }, base);
    const first = git(data.dir, 'rev-parse', 'HEAD').trim();
    const link = (id: string) => {
      writeFileSync(join(up.dir, '.gitmodules'), `[submodule "d"]\n\tpath = d\n\turl = ../${basename(data.dir)}\n`);
      git(up.dir, 'add', '.gitmodules');
      git(up.dir, 'update-index', '--add', '--cacheinfo', `160000,${id},d`);
      git(up.dir, 'commit', '-q', '-m', `d at ${id}`);
    };
    link(first);
    const dest = join(base, 'clone');
    expect((await syncRepo(up.url, dest)).ok).toBe(true);
    expect(await committed(dest, 'd/input.txt')).toBe('v1\n');
    link(commit(data.dir, { 'input.txt': 'v2\n' }));
    expect((await syncRepo(up.url, dest)).ok).toBe(true);
    expect(await committed(dest, 'd/input.txt')).toBe('v2\n');
    expect(git(dest, '--git-dir=.git', 'for-each-ref', '--format=%(refname)', 'refs/aocbench/modules/')).not.toContain(first);
  });

  it('refuses dangerous URLs before running git', async () => {
    const dest = join(tempDir(), 'clone');
    for (const url of ['ext::sh -c "touch /tmp/pwned"', '--upload-pack=touch /tmp/x']) {
      const r = await syncRepo(url, dest);
      expect(r).toMatchObject({ ok: false, failedStep: 'url' });
      expect(existsSync(dest)).toBe(false);
    }
  });

  it('reports a vanished repository with the failing step and git output', async () => {
    const base = tempDir();
    const up = makeRepo({ 'a.txt': '1' }, base);
    const dest = join(base, 'clone');
    expect((await syncRepo(up.url, dest)).ok).toBe(true);
    const gone = `${up.url}-gone`;
    const r = await syncRepo(gone, dest);
    expect(r).toMatchObject({ ok: false, operation: 'update', failedStep: 'fetch' });
    expect(r.output).toMatch(/does not appear to be a git repository|not found|No such file/i);
    expect(await committed(dest, 'a.txt')).toBe('1');
  });
});
