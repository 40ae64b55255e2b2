import type { CommandSpec } from '../../lib/command.ts';
import type { ExecStatus, TimePolicy } from './types.ts';

/** Line protocol of runner/agent/agent.c (see the comment at its top). */
export function escapeField(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}

function line(fields: Array<string | number>): string {
  return `${fields.map((f) => escapeField(String(f))).join('\t')}\n`;
}

export function execRequest(id: string, cmd: CommandSpec, timeoutMs: number, cap: number, capMode: 'kill' | 'cut'): string {
  return line(['exec', id, cmd.mode, Math.ceil(timeoutMs), cap, capMode, cmd.argv.length, ...cmd.argv]);
}

export function timeRequest(id: string, cmd: CommandSpec, p: TimePolicy): string {
  return line([
    'time', id, cmd.mode, Math.ceil(p.timeoutMs), p.warmup, p.runs,
    Math.ceil(p.longAfterMs), p.longRuns, Math.ceil(p.veryLongAfterMs), p.veryLongRuns,
    cmd.argv.length, ...cmd.argv,
  ]);
}

export interface ExecReply {
  id: string;
  status: ExecStatus;
  code: number;
  wallMs: number;
  bytes: number;
  truncated: boolean;
}

export interface TimeReply {
  id: string;
  status: ExecStatus;
  code: number;
  samplesMs: number[];
}

export function parseExecReply(l: string): ExecReply {
  const [, id, status, code, wallNs, bytes, truncated] = l.split('\t');
  return { id, status: status as ExecStatus, code: Number(code), wallMs: Number(wallNs) / 1e6, bytes: Number(bytes), truncated: truncated === '1' };
}

export function parseTimeReply(l: string): TimeReply {
  const [, id, status, code, samples] = l.split('\t');
  return {
    id,
    status: status as ExecStatus,
    code: Number(code),
    samplesMs: samples ? samples.split(',').map((ns) => Number(ns) / 1e6) : [],
  };
}
