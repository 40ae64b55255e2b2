import type { CommandSpec } from '../../lib/command.ts';

/** Where solutions run: a Docker container now, a VM later; the runner only sees this. */
export interface Executor {
  start(spec: SessionSpec): Promise<Session>;
}

export interface Mount {
  host: string;
  container: string;
  readonly?: boolean;
}

export interface Limits {
  memoryMb: number;
  pids: number;
  outputBytes: number;
  cpus?: number;
}

export interface SessionSpec {
  /** Human-readable, unique per session (becomes the container name). */
  name: string;
  image: string;
  workdir: string;
  env: string[];
  mounts: Mount[];
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
}

export interface Session {
  /** Runs once and captures output; `capMode: 'kill'` ends a command that prints too much. */
  exec(cmd: CommandSpec, opts: { timeoutMs: number; capMode: 'kill' | 'cut' }): Promise<ExecResult>;
  /** Timed runs inside the sandbox; output discarded. */
  time(cmd: CommandSpec, policy: TimePolicy): Promise<TimeResult>;
  close(): Promise<void>;
}
