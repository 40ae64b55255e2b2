import type { Session } from '../../executor/types.ts';
import type { MatrixJobData } from '../payload.ts';

/** What a matrix job's sandbox depends on: the same key, the same sandbox (a season's year and folder make another). */
export const sandboxKey = (d: MatrixJobData) => JSON.stringify([d.solver, d.commit, d.day, d.imageKey, d.settings?.limits ?? null, d.settings?.season ?? null]);

/**
 * A worker takes one job at a time, but starting a sandbox costs more than a
 * matrix job's untimed runs. While a matrix job runs, the sandbox of the
 * matrix job next in the queue starts beside it (as `aocbench matrix` starts
 * the next days' sandboxes locally), and closes happen in the background.
 * Another worker may take that job first: its sandbox is then closed unused.
 * Nothing runs beside a timed job: `settle()` waits for every start and
 * close in flight, and a timed job calls it first.
 */
export class SandboxAhead {
  private next: { key: string; ready: Promise<Session | null> } | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly start: (d: MatrixJobData) => Promise<Session | null>) {}

  /** Starts the sandbox of the job expected next (once per key). */
  offer(d: MatrixJobData): void {
    const key = sandboxKey(d);
    if (this.next?.key === key) return;
    this.discard();
    const ready = this.start(d).catch(() => null);
    this.track(ready);
    this.next = { key, ready };
  }

  /** The sandbox started ahead for this job, or null (any other one is closed). */
  async take(d: MatrixJobData): Promise<Session | null> {
    const n = this.next;
    this.next = null;
    if (n?.key === sandboxKey(d)) return n.ready;
    if (n) this.closeLater(n.ready);
    return null;
  }

  closeLater(session: Session | null | Promise<Session | null>): void {
    this.track(Promise.resolve(session).then((s) => s?.close()).catch(() => {}));
  }

  /** Every start and close done, the one waiting ahead closed too: the host is quiet for timed runs. */
  async settle(): Promise<void> {
    this.discard();
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private discard(): void {
    if (this.next) this.closeLater(this.next.ready);
    this.next = null;
  }

  private track(p: Promise<unknown>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }
}
