import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSubmoduleUrl, submoduleUrlProblem } from '../../runner/git/submodule-url.ts';
import { tempDir } from '../helpers/git-repo.ts';

describe('submodule URLs', () => {
  it('resolves relative URLs as git does, without the operator\'s https token', () => {
    expect(resolveSubmoduleUrl('https://github.com/a/b.git', '../c.git')).toBe('https://github.com/a/c.git');
    expect(resolveSubmoduleUrl('https://github.com/a/b', './sub')).toBe('https://github.com/a/b/sub');
    expect(resolveSubmoduleUrl('git@github.com:a/b.git', '../c.git')).toBe('git@github.com:a/c.git');
    expect(resolveSubmoduleUrl('git@github.com:b.git', '../c.git')).toBe('git@github.com:c.git');
    expect(resolveSubmoduleUrl('https://user:token@github.com/a/b', '../c')).toBe('https://github.com/a/c');
    expect(resolveSubmoduleUrl('https://x', 'https://user:token@github.com/a/c')).toBe('https://github.com/a/c');
  });

  it('allows the repository\'s own host and the allow-list, and refuses every other host', () => {
    const main = 'https://github.com/alice/aoc';
    expect(submoduleUrlProblem('https://github.com/alice/data', main, [])).toBeNull();
    expect(submoduleUrlProblem('git@github.com:alice/data.git', main, [])).toBeNull();
    expect(submoduleUrlProblem('https://gitlab.com/alice/data', main, [])).toMatch(/gitlab\.com is neither the repository's own host nor in git\.submoduleHosts/);
    expect(submoduleUrlProblem('https://gitlab.com/alice/data', main, ['GitLab.com'])).toBeNull();
    expect(submoduleUrlProblem('https://internal.example/x', main, ['*'])).toBeNull();
    expect(submoduleUrlProblem('ext::sh%20-c%20id', main, ['*'])).toMatch(/not allowed/);
    expect(submoduleUrlProblem('http://github.com/alice/data', main, [])).toMatch(/not allowed/);
  });

  it('allows file:// only beside a file:// repository, in its folder', () => {
    const base = tempDir();
    mkdirSync(join(base, 'repos/alice'), { recursive: true });
    mkdirSync(join(base, 'repos/data'), { recursive: true });
    const main = `file://${base}/repos/alice`;
    expect(submoduleUrlProblem(`file://${base}/repos/data`, main, [])).toBeNull();
    expect(submoduleUrlProblem(`file://${base}/repos/../secret`, main, ['*'])).toMatch(/is outside .*repos, the folder of the repository/);
    expect(submoduleUrlProblem('file:///etc', main, [])).toMatch(/is outside/);
    expect(submoduleUrlProblem(`file://${base}/repos/data`, 'https://github.com/a/b', ['*'])).toMatch(/would read the server's own disk/);
  });
});
