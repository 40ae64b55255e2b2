import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PathEscapeError, resetCheckout, writeInsideRepo } from '../../runner/checkout.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';

describe('checkout', () => {
  it('writes inputs inside the repo and refuses paths that escape it', async () => {
    const { dir } = makeRepo({ 'a.txt': 'x' });
    await writeInsideRepo(dir, '1/input.txt', 'data');
    expect(readFileSync(join(dir, '1/input.txt'), 'utf8')).toBe('data');
    await expect(writeInsideRepo(dir, '../evil.txt', 'x')).rejects.toBeInstanceOf(PathEscapeError);
    await expect(writeInsideRepo(dir, '/etc/evil.txt', 'x')).rejects.toBeInstanceOf(PathEscapeError);
  });

  it('never follows a symlink out of the repo', async () => {
    const outside = tempDir();
    const { dir } = makeRepo({ 'a.txt': 'x' });
    symlinkSync(outside, join(dir, 'link'));
    await expect(writeInsideRepo(dir, 'link/input.txt', 'x')).rejects.toThrow(/symbolic link/);
    expect(existsSync(join(outside, 'input.txt'))).toBe(false);
  });

  it('restores committed files, drops untracked ones, keeps ignored caches unless full', async () => {
    const { dir } = makeRepo({ 'a.txt': 'x', '.gitignore': 'target/\n' });
    writeFileSync(join(dir, 'a.txt'), 'changed');
    writeFileSync(join(dir, 'new.txt'), 'n');
    await writeInsideRepo(dir, 'target/cache', 'c');
    await resetCheckout(dir);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('x');
    expect(existsSync(join(dir, 'new.txt'))).toBe(false);
    expect(existsSync(join(dir, 'target/cache'))).toBe(true);
    await resetCheckout(dir, true);
    expect(existsSync(join(dir, 'target'))).toBe(false);
  });
});
