import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { CommandSpec } from '../../lib/command.ts';
import { AGENT_PATH, BUSYBOX_PATH, ensureToolsVolume, TOOLS_DIR, type Tools } from './docker-tools.ts';
import { AgentReader, duRequest, execRequest, parseExecReply, parseTimeReply, putRequest, timeRequest, treeRequest, type AgentMessage } from './protocol.ts';
import { dockerImage } from './docker-images.ts';
import { SandboxError, type ExecResult, type Executor, type ImageOutcome, type ImageRequest, type Session, type SessionSpec, type TimePolicy, type TimeResult } from './types.ts';

export { AGENT_PATH, BUSYBOX_PATH };
/** Grace on top of a command's own timeout before the host gives up on the container. */
const HOST_GRACE_MS = 15_000;
/** Output the agent may still collect after a run's command exited (EXIT_GRACE_NS in run.c), with margin. */
const RUN_GRACE_MS = 300;
/** Distinct timed-run outputs the agent keeps, in multiples of the output limit (KEEP_OUTCAPS in run.c). */
const KEEP_OUTCAPS = 8;
/** Placing the code copy or the input: data the host sends, the agent writes. */
const TRANSFER_TIMEOUT_MS = 120_000;

/**
 * The sandbox, defined once: every container aocbench starts (bench, matrix,
 * `run`, `shell`) is created from this. Nothing of the host is mounted: the
 * tools come read-only from a volume, persistence dirs are named volumes, and
 * the code copy is written by the agent into the container's own filesystem.
 */
export function sandboxContainer(spec: SessionSpec, tools: Tools): Docker.ContainerCreateOptions {
  const mem = spec.limits.memoryMb * 1024 * 1024;
  return {
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
    HostConfig: {
      Mounts: [
        { Type: 'volume', Source: tools.volume, Target: TOOLS_DIR, ReadOnly: true },
        ...spec.persistence.map((p) => ({ Type: 'volume' as const, Source: p.volume, Target: p.path })),
      ],
      NetworkMode: 'none',
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: spec.limits.pids,
      Memory: mem,
      MemorySwap: mem, // equal to Memory: no swap
      ...(spec.limits.cpus ? { NanoCpus: Math.round(spec.limits.cpus * 1e9) } : {}),
      // No core dumps: a host core_pattern pipe would run a host program on the crashing process.
      Ulimits: [{ Name: 'core', Soft: 0, Hard: 0 }],
      AutoRemove: false,
      Init: false,
    },
  };
}

/** Runs sessions as one long-lived container whose PID 1 is the agent. */
export class DockerExecutor implements Executor {
  readonly kind = 'docker';
  readonly docker: Docker;
  private tools: Promise<Tools> | null = null;

  constructor(docker?: Docker) {
    this.docker = docker ?? new Docker();
  }

  async unavailable(): Promise<string | null> {
    return this.docker.ping().then(
      () => null,
      (e: Error) => `cannot reach the Docker daemon (${e.message}); is dockerd running and is this user allowed to use it?`,
    );
  }

  prepareImage(req: ImageRequest): Promise<ImageOutcome> {
    return dockerImage(this.docker, req);
  }

  async sweep(instanceLabel: string): Promise<number> {
    const list = await this.docker.listContainers({ all: true, filters: { label: [`aocbench.instance=${instanceLabel}`] } });
    await Promise.all(list.map((c) => this.docker.getContainer(c.Id).remove({ force: true }).catch(() => {})));
    return list.length;
  }

  async environment(): Promise<Record<string, unknown>> {
    const v = await this.docker.version().catch(() => null);
    return { executor: 'docker', docker: v?.Version ?? 'unknown' };
  }

  async start(spec: SessionSpec): Promise<Session> {
    const treeBytes = spec.tree.reduce((a, f) => a + f.data.length, 0);
    if (treeBytes > spec.limits.diskBytes) {
      throw new SandboxError(`the committed files take ${mb(treeBytes)} MB, over the ${mb(spec.limits.diskBytes)} MB disk limit`);
    }
    this.tools ??= ensureToolsVolume(this.docker, spec.image).catch((e) => {
      this.tools = null;
      throw e;
    });
    const tools = await this.tools;
    const container = await this.docker.createContainer(sandboxContainer(spec, tools));
    try {
      const stream = await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true });
      const session = new DockerSession(this.docker, container, stream, spec, tools);
      await container.start();
      await session.ready();
      await session.placeTree();
      return session;
    } catch (e) {
      await container.remove({ force: true, v: true }).catch(() => {});
      throw e;
    }
  }
}

const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));

interface Reply {
  outs: Buffer[];
  done: string[];
}

class DockerSession implements Session {
  private messages: AgentMessage[] = [];
  private waiter: ((m: AgentMessage | null) => void) | null = null;
  private ended = false;
  private stderr = '';
  private seq = 0;
  private killedByHost = false;
  private broken: string | null = null;
  private wipePersistence = false;

  constructor(
    private readonly docker: Docker,
    private readonly container: Docker.Container,
    private readonly stream: NodeJS.ReadWriteStream,
    private readonly spec: SessionSpec,
    private readonly tools: Tools,
  ) {
    const out = new PassThrough();
    const err = new PassThrough();
    container.modem.demuxStream(stream, out, err);
    const reader = new AgentReader(spec.limits.outputBytes);
    out.on('data', (chunk: Buffer) => {
      if (this.broken) return;
      try {
        for (const m of reader.push(chunk)) this.deliver(m);
      } catch (e) {
        // The agent broke its own protocol: nothing more it says can be trusted.
        this.broken = (e as Error).message;
        void this.container.kill().catch(() => {});
        this.finish();
      }
    });
    err.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 8192) this.stderr += chunk.toString('utf8').slice(0, 8192 - this.stderr.length);
    });
    stream.on('end', () => this.finish());
    stream.on('close', () => this.finish());
    stream.on('error', () => this.finish());
  }

  private deliver(m: AgentMessage): void {
    const w = this.waiter;
    this.waiter = null;
    if (w) w(m);
    else this.messages.push(m);
  }

  private finish(): void {
    this.ended = true;
    const w = this.waiter;
    this.waiter = null;
    w?.(null);
  }

  /** The next message, or null when the agent is gone or the deadline passed (the container is then killed). */
  private next(deadline: number): Promise<AgentMessage | null> {
    const m = this.messages.shift();
    if (m) return Promise.resolve(m);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        this.killedByHost = true;
        void this.container.kill().catch(() => {});
        resolve(null);
      }, Math.max(0, deadline - Date.now()));
      this.waiter = (v) => {
        clearTimeout(timer);
        resolve(v);
      };
    });
  }

  /** One request and its reply; at most `maxOut` bytes of output in all, else the agent is treated as lost. */
  private async request(build: (id: string) => string | Buffer, timeoutMs: number, maxOut: number): Promise<Reply | null> {
    const id = String(++this.seq);
    if (this.ended) return null;
    this.stream.write(build(id));
    const deadline = Date.now() + timeoutMs;
    const reply: Reply = { outs: [], done: [] };
    let total = 0;
    for (;;) {
      const m = await this.next(deadline);
      if (!m) return null;
      const [kind, mid] = m.fields;
      if (kind === 'out' && mid === id && m.payload) {
        total += m.payload.length;
        if (total > maxOut) {
          this.broken = `the agent sent ${total} bytes of output (limit ${maxOut})`;
          await this.container.kill().catch(() => {});
          return null;
        }
        reply.outs.push(m.payload);
      } else if (kind === 'done' && mid === id) {
        reply.done = m.fields;
        return reply;
      } else if (kind === 'error') {
        this.broken = `the agent refused a request: ${m.fields.slice(1).join(' ')}`;
        return null;
      }
    }
  }

  async ready(): Promise<void> {
    const m = await this.next(Date.now() + 60_000);
    if (m?.fields[0] !== 'ready') {
      const info = await this.container.inspect().catch(() => null);
      const why = info?.State?.Error || this.stderr.trim() || (m ? `agent said ${JSON.stringify(m.fields.join(' '))}` : 'the agent did not start');
      throw new SandboxError(`container did not start: ${why}`);
    }
  }

  /** The disposable copy of the committed tree, written by the agent inside the container. */
  async placeTree(): Promise<void> {
    const r = await this.request((id) => treeRequest(id, this.spec.code, this.spec.tree), TRANSFER_TIMEOUT_MS, 0);
    if (r?.done[2] !== 'ok') throw new SandboxError(`cannot place the code copy at ${this.spec.code}: ${r ? r.done.slice(3).join(' ') : await this.lostWhy()}`);
  }

  async putFile(path: string, content: string): Promise<void> {
    const r = await this.request((id) => putRequest(id, path, Buffer.from(content, 'utf8')), TRANSFER_TIMEOUT_MS, 0);
    if (r?.done[2] !== 'ok') throw new SandboxError(`cannot write ${path}: ${r ? r.done.slice(3).join(' ') : await this.lostWhy()}`);
  }

  /** Why the agent stopped answering: the container was OOM-killed, timed out, broke the protocol or died. */
  private async lostAgent(): Promise<{ status: ExecResult['status']; code: number; why: string }> {
    const info = await this.container.inspect().catch(() => null);
    if (this.broken) return { status: 'signal', code: -1, why: this.broken };
    if (this.killedByHost) return { status: 'timeout', code: 137, why: 'the container stopped answering and was killed' };
    if (info?.State?.OOMKilled) return { status: 'oom', code: 137, why: 'the container ran out of memory' };
    const code = info?.State?.ExitCode ?? -1;
    return { status: 'signal', code, why: `the container exited (${code}) ${this.stderr.trim()}`.trim() };
  }

  private async lostWhy(): Promise<string> {
    return (await this.lostAgent()).why;
  }

  async exec(cmd: CommandSpec, opts: { timeoutMs: number; capMode: 'kill' | 'cut' }): Promise<ExecResult> {
    const cap = this.spec.limits.outputBytes;
    const r = await this.request((id) => execRequest(id, cmd, opts.timeoutMs, cap, opts.capMode), opts.timeoutMs + HOST_GRACE_MS, cap);
    const output = r?.outs[0]?.toString('utf8') ?? '';
    if (!r) {
      const lost = await this.lostAgent();
      return { status: lost.status, code: lost.code, wallMs: opts.timeoutMs, output: `[aocbench] ${lost.why}`, truncated: false };
    }
    const rep = parseExecReply(r.done);
    return { status: rep.status, code: rep.code, wallMs: rep.wallMs, output, truncated: rep.truncated };
  }

  async time(cmd: CommandSpec, p: TimePolicy): Promise<TimeResult> {
    const cap = this.spec.limits.outputBytes;
    const budget = (p.warmup + p.runs) * (p.timeoutMs + RUN_GRACE_MS) + HOST_GRACE_MS;
    const r = await this.request((id) => timeRequest(id, cmd, p, cap), budget, cap * KEEP_OUTCAPS);
    if (!r) {
      const lost = await this.lostAgent();
      return { status: lost.status, code: lost.code, samplesMs: [], outputs: [`[aocbench] ${lost.why}`], runOutputs: [] };
    }
    const rep = parseTimeReply(r.done);
    return { ...rep, outputs: r.outs.map((b) => b.toString('utf8')) };
  }

  /**
   * Everything the sandbox wrote: the container's writable layer as Docker
   * measures it (the code copy and any other file), plus the persistence dirs
   * as the agent measures them (volumes are outside the layer).
   */
  async checkDisk(): Promise<string | null> {
    const paths = this.spec.persistence.map((p) => p.path);
    const [info, r] = await Promise.all([
      // ?size=1 (Docker measures the writable layer); dockerode's types omit the option, its code passes it on.
      this.container.inspect({ size: true } as Docker.ContainerInspectOptions).catch(() => null),
      paths.length ? this.request((id) => duRequest(id, paths), 60_000, 0) : Promise.resolve(null),
    ]);
    if (!info || (paths.length && (!r || r.done[2] !== 'ok'))) return `the disk use could not be measured${r ? `: ${r.done.slice(3).join(' ')}` : ''}`;
    const layer = (info as { SizeRw?: number }).SizeRw ?? 0;
    const bytes = layer + (r ? Number(r.done[3]) : 0);
    const capped = r?.done[5] === '1';
    const limit = this.spec.limits.diskBytes;
    if (!capped && bytes <= limit) return null;
    this.wipePersistence = this.spec.persistence.length > 0;
    const what = capped ? `more than ${r!.done[4]} files` : `${mb(bytes)} MB`;
    return `the sandbox's files (the code copy, everything else written in the container and the persistence dirs) take ${what}, over the ${mb(limit)} MB disk limit${this.wipePersistence ? '; the persistence dirs are emptied' : ''}`;
  }

  shellCommand(tty: boolean): { command: string; args: string[] } {
    const pick = `if [ -x /bin/bash ]; then exec /bin/bash; elif [ -x /bin/sh ]; then exec /bin/sh; else exec ${BUSYBOX_PATH} sh; fi`;
    const shell = this.tools.busybox ? [BUSYBOX_PATH, 'sh', '-c', pick] : ['/bin/sh'];
    return { command: 'docker', args: ['exec', '-i', ...(tty ? ['-t'] : []), '-w', this.spec.workdir, this.container.id, ...shell] };
  }

  async close(): Promise<void> {
    if (!this.ended) this.stream.write('quit\n');
    const stopped = this.container.wait({ condition: 'not-running' }).catch(() => {});
    const late = new Promise((r) => setTimeout(r, 5000, 'late'));
    if ((await Promise.race([stopped, late])) === 'late') await this.container.kill().catch(() => {});
    await this.container.remove({ force: true, v: true }).catch(() => {});
    if (this.wipePersistence) {
      for (const p of this.spec.persistence) await this.docker.getVolume(p.volume).remove().catch(() => {});
    }
  }
}
