import type { CommandSpec } from '../../lib/command.ts';
import type { TreeEntry } from '../../lib/versions.ts';

export type ExecutorKind = 'docker' | 'vm' | 'fake';

/**
 * Where solutions run: a Docker container, a VM, or (in unit tests) this
 * process; the runner reaches a sandbox only through this. Whatever the
 * sandbox is, nothing of the host is writable from inside it: the code
 * arrives as a copy, the input as a file the agent writes, and output comes
 * back over the agent's own channel (docs/security.md).
 */
export interface Executor {
  readonly kind: ExecutorKind;
  /**
   * How many of its sandboxes may exist at once; every look-ahead (a cycle's
   * here, a worker's) obeys it. A VM guest's memory is preallocated and
   * locked, sized for one guest: a second could fail to start or push the
   * host into swapping, so the VM executor allows one.
   */
  readonly maxSandboxes: number;
  /** Null when it can run sandboxes here, else why not, in one sentence an operator can act on. */
  unavailable(): Promise<string | null>;
  /** The participant's image: an existing one (`image:`) or built from its committed Dockerfile. */
  prepareImage(req: ImageRequest): Promise<ImageOutcome>;
  start(spec: SessionSpec): Promise<Session>;
  /** Removes the sandboxes an interrupted run of this instance left behind; how many. */
  sweep(instanceLabel: string): Promise<number>;
  /** What timings are measured on (executor, accelerator, versions) for sessions with these limits, stored with every result. */
  environment(limits: Pick<Limits, 'memoryMb'>): Promise<Record<string, unknown>>;
}

/** The committed files an image is built from. */
export interface TreeSource {
  entries: TreeEntry[];
  files(maxBytes: number): Promise<TreeFile[]>;
  read(path: string): Promise<string | null>;
}

/** `sandboxDiskBytes`: the disk room its sandboxes get (a VM guest's root file system is made with it now); unset when the image is only looked at. */
export type ImageRequest = { sandboxDiskBytes?: number } & (
  | { kind: 'image'; ref: string; dryRun?: boolean }
  | { kind: 'dockerfile'; tree: TreeSource; dockerfile: string; repoName: string; maxBytes: number; dryRun?: boolean; tag?: string; network?: boolean; limits?: BuildLimits }
);

/** How long a Dockerfile build may take and how large its image may grow (instance `build.timeoutSec`, `build.maxImageMb`). */
export interface BuildLimits {
  timeoutSec: number;
  maxImageMb: number;
}

export interface ImageOutcome {
  ok: boolean;
  kind: 'dockerfile' | 'image';
  ref: string;
  imageId: string | null;
  built: boolean;
  log: string;
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
  /** An operator will open a shell in it (`aocbench shell`). */
  interactive?: boolean;
  /** The admin lets runonce reach the network (`setNetwork`); nothing else ever has it. */
  runonceNetwork?: boolean;
}

export type ExecStatus = 'exit' | 'signal' | 'timeout' | 'oom' | 'output-limit' | 'spawn-error';

export interface ExecResult {
  status: ExecStatus;
  code: number;
  wallMs: number;
  output: string;
  truncated: boolean;
  /** After `mark`: what the run changed that could not be put back (the run then counts as failed). */
  changed?: string;
}

export interface TimePolicy {
  timeoutMs: number;
  warmup: number;
  runs: number;
  longAfterMs: number;
  longRuns: number;
  veryLongAfterMs: number;
  veryLongRuns: number;
  /** How long the check run took: a slow one starts with fewer runs and no warm-up (decided by the agent). */
  priorMs?: number;
}

export type { MemoryMeter, RunUsage } from '../../lib/usage.ts';

import type { MemoryMeter, RunUsage } from '../../lib/usage.ts';

export interface TimeResult {
  status: ExecStatus;
  code: number;
  samplesMs: number[];
  /** One per sample, in the same order; empty when the executor measured none. */
  usage: RunUsage[];
  meter: MemoryMeter;
  /** The distinct outputs the runs printed (warm-up included), to be checked like the check run's. */
  outputs: string[];
  /** For each run, warm-up first, its index in `outputs`; -1 when it was not kept (too much distinct output). */
  runOutputs: number[];
  /** After `mark`: what a run changed that could not be put back; no run followed it. */
  changed?: string;
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
  /**
   * From now on every run (exec, and each run of `time`) starts from the
   * sandbox's state as it is now: what a run creates is removed after it, and a
   * run that changes what was there fails (docs/security.md, timing integrity).
   * Null, or why the state could not be recorded.
   */
  mark(): Promise<string | null>;
  /** Null, or why what the sandbox wrote is over the disk limit (the persistence dirs are then emptied at close). */
  checkDisk(): Promise<string | null>;
  /** Gives the sandbox network, or takes it away (runonce with the admin's opt-in only); throws when it cannot. */
  setNetwork(on: boolean): Promise<void>;
  /** Opens an interactive shell in this sandbox (`aocbench shell`): the command that connects a terminal to it. */
  openShell(tty: boolean): Promise<{ command: string; args: string[] }>;
  close(): Promise<void>;
}
