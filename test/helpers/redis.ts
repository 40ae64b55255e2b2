import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { tempDir } from './git-repo.ts';
import { freePort } from './web-server.ts';

/**
 * A redis-server from Debian of the test's own: its own port on 127.0.0.1
 * (protected mode stays on), its own data dir, no password. `persist` writes
 * an append-only file, so a restart on the same dir keeps the data.
 */
export interface TestRedis {
  port: number;
  url: string;
  /** redis-cli against it; its output, trimmed. */
  cli(...args: string[]): string;
  /** Killed with -9, as a host losing Redis. */
  kill(): Promise<void>;
  /** Started again on the same port: on a new empty dir (`fresh`) or on the one it had. */
  start(opts?: { fresh?: boolean }): Promise<void>;
}

export async function startRedis(opts: { persist?: boolean } = {}): Promise<TestRedis> {
  const port = await freePort();
  let dir = tempDir('aocbench-redis-');
  let proc: ChildProcess | null = null;
  const persistence = opts.persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const redis: TestRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    cli: (...args) => execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).trim(),
    kill: async () => {
      const p = proc;
      proc = null;
      if (!p || p.exitCode !== null) return;
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGKILL');
      await exited;
    },
    start: async ({ fresh = false } = {}) => {
      if (fresh) dir = tempDir('aocbench-redis-');
      proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...persistence], { stdio: 'ignore' });
      for (let i = 0; i < 100; i++) {
        if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG') return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`redis-server on port ${port} did not start`);
    },
  };
  await redis.start();
  return redis;
}
