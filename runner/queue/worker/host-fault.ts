import { hostname } from 'node:os';
import { hostProblem } from '../../host/blame.ts';
import type { Executor } from '../../executor/types.ts';

/** Errors that come from the host's side of the sandbox, whatever the code did: Docker's socket gone. */
const HOST_SIDE = /connect (?:ENOENT|ECONNREFUSED) \S*docker\.sock|\bdocker\.sock\b.*(?:ENOENT|ECONNREFUSED)|socket hang up/i;

/**
 * Why a job's failure is this host's and not the participant's, or null.
 * Asked after a run, an image or a sandbox failed: if the executor itself
 * cannot be reached now (Docker stopped, its socket gone, no VM kernel), or
 * the failure names Docker's socket, the failure says nothing about the
 * participant's code. The job then fails as a HostProblem: nothing is stored,
 * the stored result stays, and the coordinator says why and runs it again later.
 * The rule of whose failure is whose is runner/host/blame.ts's; this adds the worker's host to the reason.
 */
export async function hostFault(executor: Executor, message: string | null | undefined): Promise<{ why: string; executorDown: boolean } | null> {
  const down = await executorDown(executor);
  if (down) return { why: down, executorDown: true };
  if (message && HOST_SIDE.test(message)) return { why: `${executor.kind} on ${hostname()}: ${message}`, executorDown: false };
  return null;
}

/** Why this host's executor cannot run sandboxes now (blame.ts's question, with the worker's host named), or null. */
export async function executorDown(executor: Executor): Promise<string | null> {
  const down = await hostProblem(executor);
  return down ? `${executor.kind} on ${hostname()}: ${down}` : null;
}
