/**
 * While the host cannot work (Docker unreachable, the data disk full), the
 * daemon waits for it instead of failing job after job or exiting: it checks
 * again after growing pauses, says so once when the outage starts and once
 * when it ends, and shows the reason on every page meanwhile.
 */
export interface HostWaitHooks {
  /** Null when the host can work, else why not. */
  check(): Promise<string | null>;
  /** The reason to show while waiting, or null once the host is back. */
  show(problem: string | null): void;
  log(message: string, fields: Record<string, unknown>): void;
  signal: AbortSignal;
}

export const FIRST_PAUSE_MS = 2_000;
export const MAX_PAUSE_MS = 300_000;

/** Pauses: 2 s, 4 s, 8 s … up to 5 min. */
export const pauseAfter = (tries: number): number => Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** tries);

/** Resolves once the host can work (or the daemon stops); true when it had to wait. */
export async function untilHostIsBack(h: HostWaitHooks, known: string | null = null): Promise<boolean> {
  let problem = known ?? (await h.check());
  if (!problem) return false;
  const since = Date.now();
  h.log('host cannot work; waiting', { problem });
  for (let tries = 0; problem && !h.signal.aborted; tries++) {
    const pause = pauseAfter(tries);
    h.show(`${problem} (since ${new Date(since).toISOString().slice(11, 16)} UTC; next try in ${Math.round(pause / 1000)} s)`);
    await sleep(pause, h.signal);
    problem = await h.check();
  }
  h.show(null);
  if (!h.signal.aborted) h.log('host is back', { downMs: Date.now() - since });
  return true;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
