import type { CommandSpec } from '../../lib/command.ts';

/**
 * Where solutions run: a Docker container now, a VM later; the runner only
 * sees this. Whatever the sandbox is, nothing of the host is writable from
 * inside it: the code arrives as a copy, the input as a file the agent writes,
 * and output comes back over the agent's own channel (docs/security.md).
 */
export interface Executor {
  start(spec: SessionSpec): Promise<Session>;
}

export interface Limits {
  memoryMb: number;
  pids: number;
  outputBytes: number;
  /** Disk the sandbox may write: the code copy, anything else it writes, and the persistence dirs together. */
  diskBytes: number;
  cpus?: number;
}

/** One entry of the committed tree, as the sandbox gets it. */
export interface TreeFile {
  path: string;
  kind: 'file' | 'link';
  mode: number;
  /** The file's bytes, or a link's target. */
  data: Buffer;
}

export interface SessionSpec {
  /** Human-readable, unique per session (becomes the container name). */
  name: string;
  image: string;
  workdir: string;
  env: string[];
  /** Where the disposable copy of the committed tree is written, inside the sandbox. */
  code: string;
  tree: TreeFile[];
  /** Container paths kept across this participant's sessions, each in its own named store. */
  persistence: Array<{ path: string; volume: string }>;
  limits: Limits;
  labels?: Record<string, string>;
}

export type ExecStatus = 'exit' | 'signal' | 'timeout' | 'oom' | 'output-limit' | 'spawn-error';

export interface ExecResult {
  status: ExecStatus;
  code: number;
  wallMs: number;
  output: string;
  truncated: boolean;
}

export interface TimePolicy {
  timeoutMs: number;
  warmup: number;
  runs: number;
  longAfterMs: number;
  longRuns: number;
  veryLongAfterMs: number;
  veryLongRuns: number;
}

export interface TimeResult {
  status: ExecStatus;
  code: number;
  samplesMs: number[];
  /** The distinct outputs the runs printed (warm-up included), to be checked like the check run's. */
  outputs: string[];
  /** For each run, warm-up first, its index in `outputs`; -1 when it was not kept (too much distinct output). */
  runOutputs: number[];
}

/** A failure of the sandbox itself (the code copy, the input, the agent), not of the participant's command. */
export class SandboxError extends Error {}

export interface Session {
  /** Writes a file inside the sandbox (the input); its parents are created. */
  putFile(path: string, content: string): Promise<void>;
  /** Runs once and captures output; `capMode: 'kill'` ends a command that prints too much. */
  exec(cmd: CommandSpec, opts: { timeoutMs: number; capMode: 'kill' | 'cut' }): Promise<ExecResult>;
  /** Timed runs inside the sandbox, stdout a pipe as for `exec`; their outputs come back to be checked. */
  time(cmd: CommandSpec, policy: TimePolicy): Promise<TimeResult>;
  /** Null, or why what the sandbox wrote is over the disk limit (the persistence dirs are then emptied at close). */
  checkDisk(): Promise<string | null>;
  /** The command line of an interactive shell in this sandbox, for `aocbench shell`. */
  shellCommand(tty: boolean): { command: string; args: string[] };
  close(): Promise<void>;
}
