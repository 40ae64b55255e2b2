import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { CommandSpec } from '../../lib/command.ts';
import { ensureAgentBinary, findBusybox } from './agent-binary.ts';
import { execRequest, parseExecReply, parseTimeReply, timeRequest } from './protocol.ts';
import type { ExecResult, Executor, Session, SessionSpec, TimePolicy, TimeResult } from './types.ts';

export const AGENT_PATH = '/.aocbench/agent';
export const IO_PATH = '/.aocbench/io';
export const BUSYBOX_PATH = '/.aocbench/busybox';
/** Grace on top of a command's own timeout before the host gives up on the container. */
const HOST_GRACE_MS = 15_000;

export function sandboxHostConfig(spec: SessionSpec, binds: string[]): Docker.HostConfig {
  const mem = spec.limits.memoryMb * 1024 * 1024;
  return {
    Binds: binds,
    NetworkMode: 'none',
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges'],
    PidsLimit: spec.limits.pids,
    Memory: mem,
    MemorySwap: mem, // equal to Memory: no swap
    ...(spec.limits.cpus ? { NanoCpus: Math.round(spec.limits.cpus * 1e9) } : {}),
    AutoRemove: false,
    Init: false,
  };
}

/** Runs sessions as one long-lived container whose PID 1 is the agent. */
export class DockerExecutor implements Executor {
  readonly docker: Docker;
  constructor(
    private readonly workDir: string,
    docker?: Docker,
  ) {
    this.docker = docker ?? new Docker();
  }

  private tools: Promise<{ agent: string; busybox: string | null }> | null = null;

  /**
   * Agent and busybox are copied into the data dir, so the paths we bind-mount
   * exist on the Docker host even when aocbench itself runs in a container
   * that shares the data dir at the same path.
   */
  hostTools(): Promise<{ agent: string; busybox: string | null }> {
    this.tools ??= (async () => {
      const bin = join(this.workDir, 'bin');
      await mkdir(bin, { recursive: true });
      // Copy then rename: a binary that a container still executes cannot be overwritten in place.
      const place = async (src: string, name: string) => {
        const tmp = join(bin, `.${name}.${process.pid}`);
        await copyFile(src, tmp);
        await rename(tmp, join(bin, name));
        return join(bin, name);
      };
      const agent = await place(ensureAgentBinary(), 'aocbench-agent');
      const bb = findBusybox();
      return { agent, busybox: bb ? await place(bb, 'busybox') : null };
    })();
    return this.tools;
  }

  async start(spec: SessionSpec): Promise<Session> {
    const { agent, busybox } = await this.hostTools();
    const ioDir = join(this.workDir, `${spec.name}-${randomBytes(4).toString('hex')}`);
    await mkdir(ioDir, { recursive: true });
    await chmod(ioDir, 0o777);
    const binds = [
      ...spec.mounts.map((m) => `${m.host}:${m.container}${m.readonly ? ':ro' : ''}`),
      `${agent}:${AGENT_PATH}:ro`,
      `${ioDir}:${IO_PATH}`,
      ...(busybox ? [`${busybox}:${BUSYBOX_PATH}:ro`] : []),
    ];
    const container = await this.docker.createContainer({
      name: `${spec.name}-${randomBytes(3).toString('hex')}`,
      Image: spec.image,
      Entrypoint: [AGENT_PATH],
      Cmd: [],
      WorkingDir: spec.workdir,
      Env: spec.env,
      Labels: { aocbench: '1', ...(spec.labels ?? {}) },
      OpenStdin: true,
      StdinOnce: false,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      NetworkDisabled: true,
      HostConfig: sandboxHostConfig(spec, binds),
    });
    try {
      const stream = await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true });
      const session = new DockerSession(container, stream, ioDir, spec.limits.outputBytes);
      await container.start();
      await session.ready();
      return session;
    } catch (e) {
      await container.remove({ force: true }).catch(() => {});
      await rm(ioDir, { recursive: true, force: true });
      throw e;
    }
  }
}

class DockerSession implements Session {
  private lines: string[] = [];
  private waiters: Array<(l: string | null) => void> = [];
  private ended = false;
  private stderr = '';
  private seq = 0;
  private killedByHost = false;

  constructor(
    private readonly container: Docker.Container,
    private readonly stream: NodeJS.ReadWriteStream,
    private readonly ioDir: string,
    private readonly outputCap: number,
  ) {
    const out = new PassThrough();
    const err = new PassThrough();
    container.modem.demuxStream(stream, out, err);
    let buf = '';
    out.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        this.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    });
    err.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 8192) this.stderr += chunk.toString('utf8');
    });
    stream.on('end', () => this.finish());
    stream.on('close', () => this.finish());
    stream.on('error', () => this.finish());
  }

  private push(l: string): void {
    const w = this.waiters.shift();
    if (w) w(l);
    else this.lines.push(l);
  }

  private finish(): void {
    this.ended = true;
    for (const w of this.waiters.splice(0)) w(null);
  }

  private next(timeoutMs: number): Promise<string | null> {
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(async () => {
        this.waiters = this.waiters.filter((w) => w !== done);
        this.killedByHost = true;
        await this.container.kill().catch(() => {});
        resolve(null);
      }, timeoutMs);
      const done = (v: string | null) => {
        clearTimeout(timer);
        resolve(v);
      };
      this.waiters.push(done);
    });
  }

  async ready(): Promise<void> {
    const l = await this.next(60_000);
    if (l !== 'ready') {
      const info = await this.container.inspect().catch(() => null);
      const why = info?.State?.Error || this.stderr.trim() || `agent said ${JSON.stringify(l)}`;
      throw new Error(`container did not start: ${why}`);
    }
  }

  /** Why the agent stopped answering: the container was OOM-killed, timed out, or died. */
  private async lostAgent(): Promise<{ status: ExecResult['status']; code: number; why: string }> {
    const info = await this.container.inspect().catch(() => null);
    if (this.killedByHost) return { status: 'timeout', code: 137, why: 'the container stopped answering and was killed' };
    if (info?.State?.OOMKilled) return { status: 'oom', code: 137, why: 'the container ran out of memory' };
    const code = info?.State?.ExitCode ?? -1;
    return { status: 'signal', code, why: `the container exited (${code}) ${this.stderr.trim()}`.trim() };
  }

  async exec(cmd: CommandSpec, opts: { timeoutMs: number; capMode: 'kill' | 'cut' }): Promise<ExecResult> {
    const id = String(++this.seq);
    this.stream.write(execRequest(id, cmd, opts.timeoutMs, this.outputCap, opts.capMode));
    const l = await this.next(opts.timeoutMs + HOST_GRACE_MS);
    const output = await readFile(join(this.ioDir, `${id}.out`), 'utf8').catch(() => '');
    if (l === null || !l.startsWith('done\t')) {
      const lost = await this.lostAgent();
      return { status: lost.status, code: lost.code, wallMs: opts.timeoutMs, output: `${output}\n[aocbench] ${lost.why}`.trim(), truncated: false };
    }
    const r = parseExecReply(l);
    return { status: r.status, code: r.code, wallMs: r.wallMs, output, truncated: r.truncated };
  }

  async time(cmd: CommandSpec, p: TimePolicy): Promise<TimeResult> {
    const id = String(++this.seq);
    this.stream.write(timeRequest(id, cmd, p));
    const l = await this.next((p.warmup + p.runs) * p.timeoutMs + HOST_GRACE_MS);
    if (l === null || !l.startsWith('done\t')) {
      const lost = await this.lostAgent();
      return { status: lost.status, code: lost.code, samplesMs: [] };
    }
    const r = parseTimeReply(l);
    return { status: r.status, code: r.code, samplesMs: r.samplesMs };
  }

  async close(): Promise<void> {
    if (!this.ended) this.stream.write('quit\n');
    const stopped = this.container.wait({ condition: 'not-running' }).catch(() => {});
    const late = new Promise((r) => setTimeout(r, 5000, 'late'));
    if ((await Promise.race([stopped, late])) === 'late') await this.container.kill().catch(() => {});
    await this.container.remove({ force: true }).catch(() => {});
    await rm(this.ioDir, { recursive: true, force: true }).catch(() => {});
  }
}
