import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/git-repo.ts';
import { withDb } from '../helpers/instance.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const FIXTURES = join(import.meta.dirname, '../fixtures/aocbench-yaml');

function run(args: string[], cwd?: string) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
}

describe('aocbench CLI', () => {
  it('validate: ok, JSON, and exit 1 on error', () => {
    const dir = tempDir();
    cpSync(join(FIXTURES, 'php-docker.yaml'), join(dir, '.aocbench.yaml'));
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

  it('matrix --no-update on a fresh instance says which solvers have not been cloned, rather than a silent 0 cells', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), `year: 2024\ndataDir: ${join(dir, 'data')}\nparticipants:\n  - name: ada\n    repo: file://${join(dir, 'nowhere')}\n`);
    const r = run(['matrix', '--no-update', '--config', join(dir, 'c.yaml')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/0 cell\(s\) run/);
    expect(r.stdout).toMatch(/Not run:\n  ada: The repository has not been cloned/);
  });

  it('a bench with nothing to run prints no empty table', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), `year: 2024\ndataDir: ${join(dir, 'data')}\nparticipants: []\n`);
    const r = run(['bench', '--config', join(dir, 'c.yaml')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/participant\s+day\s+status/);
    expect(r.stdout).toMatch(/^0 day\(s\) run in 0 container\(s\), 0 unchanged day\(s\) skipped\./);
  });

  it('results --json prints the documented shape', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), `year: 2024\ndataDir: ${join(dir, 'data')}\n`);
    const out = execFileSync(process.execPath, [BIN, 'results', '--json', '--config', join(dir, 'c.yaml')], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ matrix: {}, participants: [] });
  });
});

describe('aocbench doctor', () => {
  it('--json judges this host: Docker reachable, and whether KVM really boots a guest, with why not', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), `year: 2024\ndataDir: ${join(dir, 'data')}\nexecutor: vm\nvm: { accel: auto }\n`);
    const r = run(['doctor', '--config', join(dir, 'c.yaml'), '--json']);
    const out = JSON.parse(r.stdout) as { executor: string; usable: boolean; checks: Array<{ id: string; level: string; message: string; fix?: string }> };
    const check = (id: string) => out.checks.find((c) => c.id === id)!;
    expect(out.executor).toBe('vm');
    expect(check('docker').level).toBe('ok');
    expect(check('qemu').level).toBe('ok');
    expect(check('kernel').level).toBe('ok');
    const kvm = check('kvm');
    if (!existsSync('/dev/kvm')) expect(kvm.message).toMatch(/no \/dev\/kvm/);
    else if (kvm.level === 'ok') expect(kvm.message).toMatch(/usable: a guest booted/);
    // This machine: /dev/kvm answers, but no stock guest kernel runs on it.
    else expect(kvm).toMatchObject({ level: 'warn', message: expect.stringMatching(/^KVM is not usable: \/dev\/kvm exists, but a guest did not boot on it \(.+\); accel: auto falls back to TCG$/), fix: expect.any(String) });
    // The host's own noise, timed natively: a figure, whichever way it judges this machine.
    expect(check('noise').message).toMatch(/a shell loop timed natively 30 times \(median \d+\.\d ms\) varied \d+\.\d% run to run/);
    expect(['ok', 'warn']).toContain(check('noise').level);
    expect(out.usable).toBe(true);
    expect(r.status).toBe(0);
    // Asking for KVM where it does not work: the executor cannot work, exit 1.
    writeFileSync(join(dir, 'c.yaml'), `year: 2024\ndataDir: ${join(dir, 'data')}\nexecutor: vm\nvm: { accel: kvm }\n`);
    const strict = run(['doctor', '--config', join(dir, 'c.yaml'), '--json']);
    if (kvm.level !== 'ok') expect(strict.status).toBe(1);
  });
});

describe('aocbench seed', () => {
  it('fills an instance with synthetic results, history included, without Docker', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), `year: 2024\ndataDir: ${join(dir, 'data')}\n`);
    const r = run(['seed', '--config', join(dir, 'c.yaml'), '--participants', '5', '--days', '3', '--history', '2']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/seeded 5 participants × 3 days \(\+2 previous results each\)/);
    const out = JSON.parse(run(['results', '--config', join(dir, 'c.yaml'), '--json']).stdout) as { participants: Array<{ days: Record<string, { status: string; samples: number }> }> };
    expect(out.participants).toHaveLength(5);
    expect(out.participants.every((p) => Object.keys(p.days).length === 3)).toBe(true);
    expect(out.participants[1].days['1']).toMatchObject({ status: 'correct', samples: 20 });
    expect(withDb(dir, (db) => db.$client.prepare('select count(*) as n from day_history').get())).toEqual({ n: 30 });
    expect(run(['seed', '--config', join(dir, 'c.yaml'), '--participants', '0']).status).not.toBe(0);
  });
});
