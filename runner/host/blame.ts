import { statfsSync } from 'node:fs';
import type { Executor } from '../executor/types.ts';

/**
 * Whose failure it is (docs/faults.md). Every step a participant controls —
 * clone, config, build, runonce, the runs — fails for that participant alone:
 * its verdict or health row says why. What the host owns — Docker or the
 * agent's connection, the VM, Redis, the disk — fails as the host's: nothing
 * is stored for the work it hit, stored results stay, the job ends `failed`
 * with the reason, and the daemon tries again once the host is back.
 *
 * A failure that could be either (a sandbox that ended, a step killed by a
 * signal, a container that would not start, an image that could not be
 * built) is settled by asking the host right after it: if the executor
 * cannot run sandboxes now, the host failed.
 */
export class HostFault extends Error {
  override readonly name = 'HostFault';
}

/** Verdicts that only come from output that was read and checked: a dying host cannot produce them. */
const CHECKED = new Set(['correct', 'wrong', 'unchecked']);

export const mayBeHostFault = (status: string): boolean => !CHECKED.has(status);

/** How long the host gets to answer "can you run sandboxes?" before the answer is no. */
const ASK_MS = 10_000;

/** Null when the executor can run sandboxes, else why not. */
export async function hostProblem(executor: Executor): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((r) => (timer = setTimeout(r, ASK_MS, `${executor.kind} did not answer within ${ASK_MS / 1000} s`)));
  try {
    return await Promise.race([executor.unavailable().catch((e: Error) => e.message), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** After a failure that could be the host's: the host's fault (to throw), or null when it is the participant's. */
export async function hostFaultAfter(executor: Executor, what: string): Promise<HostFault | null> {
  const why = await hostProblem(executor);
  return why ? new HostFault(`${what}: the host cannot run sandboxes now (${why}); nothing was stored for it, and it runs again once the host is back`) : null;
}

const DISK_FULL = /SQLITE_FULL|ENOSPC|database or disk is full|no space left on device/i;

export function isDiskFull(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | null;
  return !!err && (DISK_FULL.test(err.code ?? '') || DISK_FULL.test(err.message ?? ''));
}

/** Space a job needs before it starts writing: a few result rows, logs and the WAL. */
const DISK_NEEDED = 8 * 1024 * 1024;

/** Null when the data dir has room for a job, else "disk full at <dir>". */
export function diskProblem(dataDir: string): string | null {
  try {
    const s = statfsSync(dataDir);
    return s.bavail * s.bsize < DISK_NEEDED ? `disk full at ${dataDir}` : null;
  } catch {
    return null;
  }
}

/** The host's fault behind an error, if it is one: a HostFault, or a full disk. */
export function asHostFault(e: unknown, dataDir: string): HostFault | null {
  if (e instanceof HostFault) return e;
  if (isDiskFull(e)) return new HostFault(`disk full at ${dataDir}: ${(e as Error).message}`);
  return null;
}
