/**
 * scripts/setup.sh, what `npm run demo` and `npm test` run first: on a
 * machine that has everything it does nothing; where something is missing it
 * says what, and as a user who cannot install it prints the exact command and
 * stops, changing nothing.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/git-repo.ts';

const ROOT = join(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/setup.sh');

function run(args: string[], opts: { path?: string; user?: string; env?: Record<string, string> } = {}) {
  const env = { ...process.env, ...opts.env, PATH: opts.path ?? process.env.PATH! };
  // Another user may not read this checkout (its parent may be private): it runs a copy of the script from a readable place.
  const script = opts.user ? readableCopy() : SCRIPT;
  const cmd = opts.user ? ['runuser', '-u', opts.user, '--', 'env', `PATH=${env.PATH}`, 'bash', script, ...args] : ['bash', script, ...args];
  const r = spawnSync(cmd[0], cmd.slice(1), { env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function readableCopy(): string {
  const base = tempDir();
  chmodSync(base, 0o755);
  mkdirSync(join(base, 'scripts'));
  copyFileSync(SCRIPT, join(base, 'scripts/setup.sh'));
  return join(base, 'scripts/setup.sh');
}

/** A PATH with every program of this machine but Docker's: a machine where Docker is not installed. */
function pathWithout(...gone: string[]): string {
  const base = tempDir();
  // Readable by the user the test runs it as.
  chmodSync(base, 0o755);
  const dir = join(base, 'bin');
  mkdirSync(dir);
  for (const d of ['/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin']) {
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d)) {
      if (gone.includes(f) || existsSync(join(dir, f))) continue;
      symlinkSync(join(d, f), join(dir, f));
    }
  }
  return dir;
}

describe('scripts/setup.sh', () => {
  it('on a machine that has everything, finds nothing to do (a second run sets nothing up again)', () => {
    for (const mode of ['demo', 'test']) {
      const r = run([mode, '--check']);
      expect(r.out).toBe('setup: everything is in place\n');
      expect(r.code).toBe(0);
    }
  });

  it('without Docker: says so; a user who cannot install gets the exact command and nothing is changed', () => {
    const path = pathWithout('docker', 'dockerd');
    const check = run(['demo', '--check'], { path });
    expect(check.code).toBe(3);
    expect(check.out).toMatch(/missing packages: docker\.io\b/);
    const user = run(['demo'], { path, user: 'nobody' });
    expect(user.code).toBe(1);
    expect(user.out).toContain('  sudo apt-get install -y docker.io\n');
    expect(user.out).not.toMatch(/installing|starting|npm ci/);
  });

  it('with the Docker client only (no daemon answers, no dockerd): installs docker.io, then starts the daemon', () => {
    const r = run(['test', '--check'], { path: pathWithout('dockerd'), env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/missing packages: docker\.io\b/);
    expect(r.out).toContain('setup: the Docker daemon is not running');
  });

  it('as a user, with everything installed but no daemon answering: says how to start it, and stops', () => {
    const r = run(['demo'], { user: 'nobody', env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    expect(r.code).toBe(1);
    expect(r.out).toContain('setup: the Docker daemon is not running, or this user may not use it');
    expect(r.out).toContain('sudo usermod -aG docker nobody');
  });

  it('refuses an unknown mode', () => {
    expect(run(['serve']).code).toBe(2);
  });
});
