import type { CommandSpec } from '../../lib/command.ts';
import { AgentReader, dfRequest, duRequest, execRequest, markRequest, parseExecReply, parseTimeReply, putRequest, timeRequest, treeRequest, type AgentMessage } from './protocol.ts';
import { SandboxError, type ExecResult, type Session, type SessionSpec, type TimePolicy, type TimeResult } from './types.ts';

/** Grace on top of a command's own timeout before the host gives up on the sandbox. */
const HOST_GRACE_MS = 15_000;
/** Output the agent may still collect after a run's command exited (EXIT_GRACE_NS in run.c), with margin. */
const RUN_GRACE_MS = 300;
/** Distinct timed-run outputs the agent keeps, in multiples of the output limit (KEEP_OUTCAPS in run.c). */
const KEEP_OUTCAPS = 8;
/** Putting the sandbox back after one run, once marked (RESTORE_LIMIT_NS in state.c), with margin. */
const RESTORE_MS = 65_000;
/** Recording the sandbox's state: a walk of every writable file system. */
const MARK_TIMEOUT_MS = 120_000;
/** Placing the code copy or the input: data the host sends, the agent writes. */
const TRANSFER_TIMEOUT_MS = 120_000;

export const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));

/** What carries the agent's protocol (a container's attach stream, a VM's serial port) and what the sandbox is. */
export interface AgentTransport {
  /** The agent's stdin. */
  input: NodeJS.WritableStream;
  /** The agent's stdout, bytes as they come. */
  output: NodeJS.ReadableStream;
  /** The agent's stderr, when the transport keeps it apart (kept, a little, for messages). */
  stderr?: NodeJS.ReadableStream;
  /** How long the agent may take to say it is ready (a VM boots first). */
  readyTimeoutMs: number;
  /** Once the agent is ready, before the code copy is placed (a VM measures its file system here). */
  onReady?(session: AgentSession): Promise<void>;
  /** The host gives up on the sandbox: stop it now. */
  kill(): Promise<void>;
  /** After the agent went away: was it the memory limit, and how did the sandbox end. */
  postmortem(): Promise<{ oom: boolean; exitCode: number | null; error?: string }>;
  /** Dirs the sandbox writes to that `writtenBytes` does not count (an image's VOLUMEs in Docker): measured like persistence dirs. */
  volumePaths?: string[];
  /** Bytes the sandbox wrote besides its persistence dirs (the code copy included), or null when unknown. */
  writtenBytes(session: AgentSession): Promise<number | null>;
  /** Attaches or detaches the sandbox's network (runonce with the admin's opt-in). */
  setNetwork(on: boolean): Promise<void>;
  /** Starts an interactive shell in the sandbox and says how to connect a terminal to it. */
  openShell(session: AgentSession, tty: boolean): Promise<{ command: string; args: string[] }>;
  /** Waits for the agent to end after `quit` (or stops it) and removes the sandbox. */
  teardown(opts: { wipePersistence: boolean }): Promise<void>;
}

interface Reply {
  outs: Buffer[];
  done: string[];
}

/**
 * A session as the runner sees it, over any transport: the agent's line
 * protocol with a deadline on every request, output bounded as it arrives,
 * and every way the agent can go away turned into a verdict.
 */
export class AgentSession implements Session {
  private messages: AgentMessage[] = [];
  private waiter: ((m: AgentMessage | null) => void) | null = null;
  private ended = false;
  private stderr = '';
  private seq = 0;
  private killedByHost = false;
  private broken: string | null = null;
  private wipePersistence = false;
  private marked = false;

  constructor(
    readonly spec: SessionSpec,
    private readonly transport: AgentTransport,
  ) {
    const reader = new AgentReader(spec.limits.outputBytes);
    transport.output.on('data', (chunk: Buffer) => {
      if (this.broken) return;
      try {
        for (const m of reader.push(chunk)) this.deliver(m);
      } catch (e) {
        // The agent broke its own protocol: nothing more it says can be trusted.
        this.broken = (e as Error).message;
        void transport.kill().catch(() => {});
        this.finish();
      }
    });
    transport.stderr?.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 8192) this.stderr += chunk.toString('utf8').slice(0, 8192 - this.stderr.length);
    });
    for (const ev of ['end', 'close', 'error']) transport.output.on(ev, () => this.finish());
  }

  /** Waits for the agent's `ready`, then places the code copy; a failure is a SandboxError. */
  async open(): Promise<void> {
    const m = await this.next(Date.now() + this.transport.readyTimeoutMs);
    if (m?.fields[0] !== 'ready') {
      const pm = await this.transport.postmortem().catch(() => null);
      const why = pm?.error || this.stderr.trim() || (m ? `agent said ${JSON.stringify(m.fields.join(' '))}` : 'the agent did not start');
      throw new SandboxError(`the sandbox did not start: ${why}`);
    }
    await this.transport.onReady?.(this);
    const r = await this.request((id) => treeRequest(id, this.spec.code, this.spec.tree), TRANSFER_TIMEOUT_MS, 0);
    if (r?.done[2] !== 'ok') throw new SandboxError(`cannot place the code copy at ${this.spec.code}: ${r ? r.done.slice(3).join(' ') : await this.lostWhy()}`);
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

  /** The next message, or null when the agent is gone or the deadline passed (the sandbox is then stopped). */
  private next(deadline: number): Promise<AgentMessage | null> {
    const m = this.messages.shift();
    if (m) return Promise.resolve(m);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        this.killedByHost = true;
        void this.transport.kill().catch(() => {});
        resolve(null);
      }, Math.max(0, deadline - Date.now()));
      this.waiter = (v) => {
        clearTimeout(timer);
        resolve(v);
      };
    });
  }

  private queue: Promise<unknown> = Promise.resolve();

  /** One request and its reply, after the requests before it: the agent answers one at a time. */
  request(build: (id: string) => string | Buffer, timeoutMs: number, maxOut: number): Promise<Reply | null> {
    const run = this.queue.then(() => this.exchange(build, timeoutMs, maxOut));
    this.queue = run.catch(() => {});
    return run;
  }

  /** At most `maxOut` bytes of output in all, else the agent is treated as lost. */
  private async exchange(build: (id: string) => string | Buffer, timeoutMs: number, maxOut: number): Promise<Reply | null> {
    const id = String(++this.seq);
    if (this.ended) return null;
    this.transport.input.write(build(id));
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
          await this.transport.kill().catch(() => {});
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

  /** Why the agent stopped answering: out of memory, timed out, broke the protocol, or the sandbox died. */
  private async lostAgent(): Promise<{ status: ExecResult['status']; code: number; why: string }> {
    if (this.broken) return { status: 'signal', code: -1, why: this.broken };
    if (this.killedByHost) return { status: 'timeout', code: 137, why: 'the sandbox stopped answering and was stopped' };
    const pm = await this.transport.postmortem().catch(() => null);
    if (pm?.oom) return { status: 'oom', code: 137, why: 'the sandbox ran out of memory' };
    const code = pm?.exitCode ?? -1;
    return { status: 'signal', code, why: `the sandbox ended (${code}) ${pm?.error ?? ''} ${this.stderr.trim()}`.trim() };
  }

  private async lostWhy(): Promise<string> {
    return (await this.lostAgent()).why;
  }

  async putFile(path: string, content: string): Promise<void> {
    const r = await this.request((id) => putRequest(id, path, Buffer.from(content, 'utf8')), TRANSFER_TIMEOUT_MS, 0);
    if (r?.done[2] !== 'ok') throw new SandboxError(`cannot write ${path}: ${r ? r.done.slice(3).join(' ') : await this.lostWhy()}`);
  }

  async mark(): Promise<string | null> {
    const r = await this.request((id) => markRequest(id), MARK_TIMEOUT_MS, 0);
    if (r?.done[2] !== 'ok') return r ? r.done.slice(3).join(' ') : await this.lostWhy();
    this.marked = true;
    return null;
  }

  /**
   * A marked sandbox that lost its agent, or whose run changed what cannot be
   * put back, may hold what a run wrote in its persistence dirs: they are
   * emptied at close, so no later session starts from it.
   */
  private distrust(changed: string | undefined | null): void {
    if (this.marked && changed !== undefined) this.wipePersistence = this.spec.persistence.length > 0;
  }

  async exec(cmd: CommandSpec, opts: { timeoutMs: number; capMode: 'kill' | 'cut' }): Promise<ExecResult> {
    const cap = this.spec.limits.outputBytes;
    const r = await this.request((id) => execRequest(id, cmd, opts.timeoutMs, cap, opts.capMode), opts.timeoutMs + HOST_GRACE_MS + (this.marked ? RESTORE_MS : 0), cap);
    if (!r) {
      this.distrust(null);
      const lost = await this.lostAgent();
      return { status: lost.status, code: lost.code, wallMs: opts.timeoutMs, output: `[aocbench] ${lost.why}`, truncated: false };
    }
    const rep = parseExecReply(r.done);
    this.distrust(rep.changed);
    return { status: rep.status, code: rep.code, wallMs: rep.wallMs, output: r.outs[0]?.toString('utf8') ?? '', truncated: rep.truncated, ...(rep.changed ? { changed: rep.changed } : {}) };
  }

  async time(cmd: CommandSpec, p: TimePolicy): Promise<TimeResult> {
    const cap = this.spec.limits.outputBytes;
    const perRun = p.timeoutMs + RUN_GRACE_MS + (this.marked ? RESTORE_MS : 0);
    const r = await this.request((id) => timeRequest(id, cmd, p, cap), (p.warmup + p.runs) * perRun + HOST_GRACE_MS, cap * KEEP_OUTCAPS);
    if (!r) {
      this.distrust(null);
      const lost = await this.lostAgent();
      return { status: lost.status, code: lost.code, samplesMs: [], usage: [], meter: 'rusage', outputs: [`[aocbench] ${lost.why}`], runOutputs: [] };
    }
    const rep = parseTimeReply(r.done);
    this.distrust(rep.changed);
    return { ...rep, outputs: r.outs.map((b) => b.toString('utf8')) };
  }

  /** Disk use below the paths, as the agent measures it inside the sandbox. */
  async du(paths: string[]): Promise<{ bytes: number; entries: number; capped: boolean; left: number } | null> {
    const r = await this.request((id) => duRequest(id, paths), 60_000, 0);
    if (!r || r.done[2] !== 'ok') return null;
    return { bytes: Number(r.done[3]), entries: Number(r.done[4]), capped: r.done[5] === '1', left: Number(r.done[6] ?? 0) };
  }

  /** Bytes in use on the file system holding `path`, as the agent sees it. */
  async df(path: string): Promise<number | null> {
    const r = await this.request((id) => dfRequest(id, path), 60_000, 0);
    return r?.done[2] === 'ok' ? Number(r.done[3]) : null;
  }

  /**
   * Everything the sandbox wrote (the transport's measure, the code copy
   * included) plus the persistence dirs, plus the most one run wrote and left
   * (removed after it, once marked), against the disk limit.
   */
  async checkDisk(): Promise<string | null> {
    const kept = this.spec.persistence.map((p) => p.path);
    const paths = [...kept, ...(this.transport.volumePaths ?? [])];
    const [written, persisted] = await Promise.all([
      this.transport.writtenBytes(this),
      paths.length || this.marked ? this.du(paths) : Promise.resolve({ bytes: 0, entries: 0, capped: false, left: 0 }),
    ]);
    if (written === null || !persisted) return 'the disk use could not be measured';
    const bytes = written + persisted.bytes + persisted.left;
    const limit = this.spec.limits.diskBytes;
    if (!persisted.capped && bytes <= limit) return null;
    this.wipePersistence = kept.length > 0;
    const what = persisted.capped ? `more than ${persisted.entries} files` : `${mb(bytes)} MB`;
    return `the sandbox's files (the code copy, everything else written in it and the persistence dirs) take ${what}, over the ${mb(limit)} MB disk limit${this.wipePersistence ? '; the persistence dirs are emptied' : ''}`;
  }

  openShell(tty: boolean): Promise<{ command: string; args: string[] }> {
    return this.transport.openShell(this, tty);
  }

  setNetwork(on: boolean): Promise<void> {
    return this.transport.setNetwork(on);
  }

  /**
   * Asks the agent for a shell on its shell port (a VM guest's second serial
   * port); the reply comes when that shell ends, and later requests wait for it.
   */
  startShell(): void {
    void this.request((id) => `shell\t${id}\n`, 24 * 3600_000, 0);
  }

  async close(): Promise<void> {
    if (!this.ended) this.transport.input.write('quit\n');
    await this.transport.teardown({ wipePersistence: this.wipePersistence });
  }
}
