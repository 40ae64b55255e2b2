import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A unix socket in front of the Docker daemon: a process given
 * `DOCKER_HOST=unix://<path>` reaches Docker through it, and `cut()` makes
 * Docker go away for that process for real (every connection dropped, new
 * ones refused) while the daemon itself, and other tests, carry on.
 */
export class DockerProxy {
  readonly path = join(mkdtempSync(join(tmpdir(), 'aocbench-dockerproxy-')), 'docker.sock');
  private server: Server | null = null;
  private readonly open = new Set<Socket>();

  constructor(private readonly target = '/var/run/docker.sock') {}

  get env(): Record<string, string> {
    return { DOCKER_HOST: `unix://${this.path}` };
  }

  async start(): Promise<void> {
    rmSync(this.path, { force: true });
    const server = createServer((client) => {
      const upstream = createConnection(this.target);
      for (const s of [client, upstream]) {
        this.open.add(s);
        s.on('close', () => this.open.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.path, resolve));
    this.server = server;
  }

  /** Docker is gone: the socket closes and every connection through it is cut. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.open) s.destroy();
    if (server) await new Promise((r) => server.close(r));
  }
}
