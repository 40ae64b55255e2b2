import type { ExecResult, ExecStatus } from '../executor/types.ts';
import type { Step, Verdict } from '../records.ts';

/** What a step's verdict and message depend on: its deadline and the memory limit it ran into. */
export interface StepLimits {
  timeoutMs: number;
  memoryMb: number;
}

export function failure(r: ExecResult): Verdict {
  if (r.status === 'timeout') return 'timeout';
  if (r.status === 'oom') return 'oom';
  if (r.status === 'output-limit') return 'output-limit';
  return 'error';
}

export function describe(step: Step, r: { status: ExecStatus; code: number }, limits: StepLimits): string {
  switch (r.status) {
    case 'timeout':
      return `${step} timed out after ${Math.round(limits.timeoutMs / 1000)} s`;
    case 'oom':
      return `${step} ran out of memory at the ${limits.memoryMb} MB limit`;
    case 'output-limit':
      return `${step} printed more than the output limit`;
    case 'spawn-error':
      return `${step} could not be started (command not found?)`;
    case 'signal':
      return `${step} was killed by signal ${r.code - 128}`;
    default:
      return `${step} exited with code ${r.code}`;
  }
}

/** A run changed what was there before it (state.c): it cannot be put back, so nothing after it is measured. */
export function changedMessage(step: Step, changed: string): string {
  return `${step}: ${changed}. A run may create files (they are removed after each run) but not change or remove what was there before it ran, so that no run can leave anything for the next (docs/security.md)`;
}

/** A step that did not succeed: its verdict, message and exit code. */
export interface StepFailure {
  step: Step;
  status: Verdict;
  exitCode: number | null;
  message: string;
}

export const stepFailure = (step: Step, r: ExecResult, limits: StepLimits): StepFailure => ({ step, status: failure(r), exitCode: r.code, message: describe(step, r, limits) });

/** A problem of the sandbox (the input could not be written, the disk limit) is the day's error. */
export const sandboxFailure = (step: Step, message: string): StepFailure => ({ step, status: 'error', exitCode: null, message });

