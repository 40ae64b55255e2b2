import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { CommandSpec } from '../../lib/command.ts';
import type { ExecResult, Executor, ImageOutcome, ImageRequest, Limits, Session, SessionSpec, TimePolicy, TimeResult } from './types.ts';

/** What a fake command did: its output, exit code and how long it "took". */
export interface FakeRun {
  output: string;
  code?: number;
  ms: number;
  /** The command ran into its timeout (or, for `status`, any other ending). */
  status?: ExecResult['status'];
  /** Peak memory of a timed run (KiB); CPU time is taken as all user time, `ms`. */
  peakKb?: number;
}

/** A fake sandbox's view of one command: its argv, the files of the session (code copy and input), the env. */
export interface FakeCall {
  argv: string[];
  files: Map<string, string>;
  env: string[];
  workdir: string;
  /** How many times this command ran in this session before. */
  nth: number;
}

/**
 * In-process sandboxes for unit tests of the runner's logic (planning, the
 * step sequence, verdicts, storage), as hyperfine's MockExecutor: nothing is
 * started, commands are a function of their argv and the session's files.
 */
export class FakeExecutor implements Executor {
  readonly kind = 'fake';
  /** Every session started, in order. */
  readonly sessions: SessionSpec[] = [];

  /** `maxSandboxes`: 1 behaves as the VM executor does, to test that every look-ahead obeys it. */
  constructor(
    private readonly program: (call: FakeCall) => FakeRun,
    readonly maxSandboxes = Infinity,
  ) {}

  async unavailable(): Promise<string | null> {
    return null;
  }

  async prepareImage(req: ImageRequest): Promise<ImageOutcome> {
    const what = req.kind === 'image' ? req.ref : req.tree.entries.map((e) => `${e.path}:${e.id}`).join('\n');
    const ref = req.kind === 'image' ? req.ref : (req.tag ?? `fake-${req.repoName.toLowerCase()}`);
    return { ok: true, kind: req.kind, ref, imageId: `fake:${createHash('sha256').update(what).digest('hex').slice(0, 12)}`, built: req.kind === 'dockerfile', log: '' };
  }

  async start(spec: SessionSpec): Promise<Session> {
    this.sessions.push(spec);
    const files = new Map(spec.tree.filter((f) => f.kind === 'file').map((f) => [posix.join(spec.code, f.path), f.data.toString('utf8')]));
    return new FakeSession(spec, files, this.program);
  }

  async sweep(): Promise<number> {
    return 0;
  }

  async environment(_limits?: Pick<Limits, 'memoryMb'>): Promise<Record<string, unknown>> {
    return { executor: 'fake' };
  }
}

class FakeSession implements Session {
  private runs = new Map<string, number>();

  constructor(
    private readonly spec: SessionSpec,
    private readonly files: Map<string, string>,
    private readonly program: (call: FakeCall) => FakeRun,
  ) {}

  private run(cmd: CommandSpec): FakeRun {
    const key = cmd.argv.join('\0');
    const nth = this.runs.get(key) ?? 0;
    this.runs.set(key, nth + 1);
    return this.program({ argv: cmd.argv, files: this.files, env: this.spec.env, workdir: this.spec.workdir, nth });
  }

  async putFile(path: string, content: string): Promise<void> {
    this.files.set(path, content);
  }

  async exec(cmd: CommandSpec, opts: { timeoutMs: number }): Promise<ExecResult> {
    return this.execRun(cmd, opts.timeoutMs).result;
  }

  private execRun(cmd: CommandSpec, timeoutMs: number): { result: ExecResult; peakKb: number } {
    const r = this.run(cmd);
    const status = r.status ?? (r.ms > timeoutMs ? 'timeout' : 'exit');
    const output = r.output.slice(0, this.spec.limits.outputBytes);
    const result = { status, code: status === 'exit' ? (r.code ?? 0) : 137, wallMs: Math.min(r.ms, timeoutMs), output, truncated: output.length < r.output.length };
    return { result, peakKb: r.peakKb ?? 1024 };
  }

  /** The agent's loop, run-count cuts included: warm-up, then runs until a failure or the count. */
  async time(cmd: CommandSpec, p: TimePolicy): Promise<TimeResult> {
    let runs = p.runs;
    let warmup = p.warmup;
    const prior = p.priorMs ?? 0;
    if (prior > p.longAfterMs) warmup = 0;
    if (prior > p.veryLongAfterMs) runs = Math.min(runs, p.veryLongRuns);
    else if (prior > p.longAfterMs) runs = Math.min(runs, p.longRuns);
    const out: TimeResult = { status: 'exit', code: 0, samplesMs: [], usage: [], meter: 'cgroup', outputs: [], runOutputs: [] };
    for (let i = 0; i < warmup + runs && out.samplesMs.length < runs; i++) {
      const { result: r, peakKb } = this.execRun(cmd, p.timeoutMs);
      let k = out.outputs.indexOf(r.output);
      if (k < 0) k = out.outputs.push(r.output) - 1;
      out.runOutputs.push(k);
      if (r.status !== 'exit' || r.code !== 0) return { ...out, status: r.status, code: r.code };
      if (r.wallMs > p.veryLongAfterMs) runs = Math.min(runs, p.veryLongRuns);
      else if (r.wallMs > p.longAfterMs) runs = Math.min(runs, p.longRuns);
      if (i >= warmup) {
        out.samplesMs.push(r.wallMs);
        out.usage.push({ peakKb, userMs: r.wallMs, sysMs: 0 });
      }
    }
    return out;
  }

  async setNetwork(): Promise<void> {}

  /** A fake command writes no files: there is no state to record. */
  async mark(): Promise<string | null> {
    return null;
  }

  async checkDisk(): Promise<string | null> {
    return null;
  }

  async openShell(): Promise<{ command: string; args: string[] }> {
    return { command: 'true', args: [] };
  }

  async close(): Promise<void> {}
}
