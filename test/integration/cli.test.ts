import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/git-repo.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const FIXTURES = join(import.meta.dirname, '../../../shared/fixtures/aocbench-yaml');

function run(args: string[], cwd?: string) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
}

describe('aocbench CLI', () => {
  it('validate: ok, JSON, and exit 1 on error', () => {
    const dir = tempDir();
    cpSync(join(FIXTURES, '01-ShaneMcC__aoc-2023.yaml'), join(dir, '.aocbench.yaml'));
    mkdirSync(join(dir, 'docker'));
    writeFileSync(join(dir, 'docker/Dockerfile'), 'FROM scratch\n');
    const ok = run(['validate', dir, '--json']);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ state: 'ok', config: { cmd: 'php /code/%day%/run.php', workdir: '/code/%day%' } });
    writeFileSync(join(dir, '.aocbench.yaml'), 'version: 2\n');
    const bad = run(['validate', dir]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/error/);
    expect(bad.stdout).toMatch(/"version" must be 1/);
  });

  it('bench refuses a broken instance config with the key and line', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), 'year: 2024\nrepeat:\n  runs: -3\n');
    const r = run(['bench', '--config', join(dir, 'c.yaml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/repeat\.runs \(line 3\)/);
  });

  it('results --json prints the documented shape', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), `year: 2024\ndataDir: ${join(dir, 'data')}\n`);
    const out = execFileSync(process.execPath, [BIN, 'results', '--json', '--config', join(dir, 'c.yaml')], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ matrix: {}, participants: [] });
  });
});
