import type { CommandSpec } from '../../lib/command.ts';
import type { ExecStatus, MemoryMeter, RunUsage, TimePolicy, TreeFile } from './types.ts';

/** Line protocol of runner/agent/agent.c (see the comment at its top). */
export function escapeField(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}

export function unescapeField(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c));
}

function line(fields: Array<string | number>): string {
  return `${fields.map((f) => escapeField(String(f))).join('\t')}\n`;
}

export function execRequest(id: string, cmd: CommandSpec, timeoutMs: number, cap: number, capMode: 'kill' | 'cut'): string {
  return line(['exec', id, cmd.mode, Math.ceil(timeoutMs), cap, capMode, cmd.argv.length, ...cmd.argv]);
}

export function timeRequest(id: string, cmd: CommandSpec, p: TimePolicy, cap: number): string {
  return line([
    'time', id, cmd.mode, Math.ceil(p.timeoutMs), cap, p.warmup, p.runs,
    Math.ceil(p.longAfterMs), p.longRuns, Math.ceil(p.veryLongAfterMs), p.veryLongRuns, Math.round((p.priorMs ?? 0) * 1e6),
    cmd.argv.length, ...cmd.argv,
  ]);
}

export function putRequest(id: string, path: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(line(['put', id, path, data.length])), data]);
}

export function markRequest(id: string): string {
  return line(['mark', id]);
}

export function duRequest(id: string, paths: string[]): string {
  return line(['du', id, ...paths]);
}

export function dfRequest(id: string, path: string): string {
  return line(['df', id, path]);
}

/** The committed tree as one `tree` request: a record line and the bytes of each entry. */
export function treeRequest(id: string, root: string, files: TreeFile[]): Buffer {
  const parts: Buffer[] = [Buffer.from(line(['tree', id, root, files.length]))];
  for (const f of files) {
    parts.push(Buffer.from(line([f.kind === 'link' ? 'l' : 'f', f.path, (f.mode & 0o7777).toString(8), f.data.length])), f.data);
  }
  return Buffer.concat(parts);
}

export interface ExecReply {
  status: ExecStatus;
  code: number;
  wallMs: number;
  truncated: boolean;
  changed?: string;
}

/** `done ID STATUS CODE WALL_NS TRUNCATED CHANGED` */
export function parseExecReply(fields: string[]): ExecReply {
  const [, , status, code, wallNs, truncated, changed] = fields;
  return { status: status as ExecStatus, code: Number(code), wallMs: Number(wallNs) / 1e6, truncated: truncated === '1', ...(changed ? { changed } : {}) };
}

export interface TimeReply {
  status: ExecStatus;
  code: number;
  samplesMs: number[];
  /** For each run, warm-up first: which distinct output it printed (-1: not kept). */
  runOutputs: number[];
  changed?: string;
  /** Per timed run: peak memory and CPU time (runner/agent/meter.c). */
  usage: RunUsage[];
  meter: MemoryMeter;
}

const list = (s: string | undefined) => (s ? s.split(',').map(Number) : []);

/** `done ID STATUS CODE NS,NS,... K,K,... CHANGED METER KB,KB,... USER_US,... SYS_US,...` */
export function parseTimeReply(fields: string[]): TimeReply {
  const [, , status, code, samples, outputs, changed, meter, kb, user, sys] = fields;
  const samplesMs = list(samples).map((ns) => ns / 1e6);
  const [kbs, us, ss] = [list(kb), list(user), list(sys)];
  // An agent that measured nothing (an old binary, a failed run) gives no usage rather than a misaligned one.
  const usage = kbs.length === samplesMs.length && us.length === kbs.length && ss.length === kbs.length
    ? kbs.map((k, i) => ({ peakKb: k, userMs: us[i] / 1000, sysMs: ss[i] / 1000 }))
    : [];
  return {
    status: status as ExecStatus, code: Number(code), samplesMs, runOutputs: list(outputs), ...(changed ? { changed } : {}),
    usage, meter: meter === 'cgroup' ? 'cgroup' : 'rusage',
  };
}

export interface AgentMessage {
  fields: string[];
  payload?: Buffer;
}

export class ProtocolError extends Error {}

/**
 * Splits the agent's stdout into messages: lines, and after an `out` line the
 * bytes it announces. Everything is bounded: a line longer than `maxLine` or
 * a payload longer than `maxPayload` is a protocol error, never a buffer that grows.
 */
export class AgentReader {
  private buf: Buffer = Buffer.alloc(0);
  private pending: { fields: string[]; left: number } | null = null;

  constructor(
    private readonly maxPayload: number,
    private readonly maxLine = 1 << 20,
  ) {}

  push(chunk: Buffer): AgentMessage[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: AgentMessage[] = [];
    for (;;) {
      if (this.pending) {
        if (this.buf.length < this.pending.left) break;
        out.push({ fields: this.pending.fields, payload: this.buf.subarray(0, this.pending.left) });
        this.buf = this.buf.subarray(this.pending.left);
        this.pending = null;
        continue;
      }
      const nl = this.buf.indexOf(10);
      if (nl < 0) {
        if (this.buf.length > this.maxLine) throw new ProtocolError(`the agent sent a line longer than ${this.maxLine} bytes`);
        break;
      }
      const fields = this.buf.subarray(0, nl).toString('utf8').split('\t').map(unescapeField);
      this.buf = this.buf.subarray(nl + 1);
      if (fields[0] === 'out') {
        const len = Number(fields[2]);
        if (!Number.isSafeInteger(len) || len < 0 || len > this.maxPayload) throw new ProtocolError(`the agent announced ${fields[2]} bytes of output (limit ${this.maxPayload})`);
        this.pending = { fields, left: len };
        continue;
      }
      out.push({ fields });
    }
    return out;
  }
}
