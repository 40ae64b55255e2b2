/**
 * Keeps timed runs alone on the machine while other work overlaps the
 * untimed parts of a run. Background work (starting the next day's sandbox,
 * closing the last one, an image build) goes through `add`; a timed run goes
 * through `exclusive`, which waits until no background work is in flight and
 * holds back any that is added meanwhile until the timed run is over. The
 * rule lives here, above the executors, so it holds for Docker and VMs alike.
 */
export class UntimedWork {
  private readonly inFlight = new Set<Promise<void>>();
  private timed: Promise<void> | null = null;

  /** Starts `work` now, or once the timed run in flight is over; it counts as in flight until it settles. */
  add<T>(work: () => Promise<T>): Promise<T> {
    const run = (this.timed ?? Promise.resolve()).then(work);
    const settled: Promise<void> = run.then(
      () => {},
      () => {},
    ).finally(() => this.inFlight.delete(settled));
    this.inFlight.add(settled);
    return run;
  }

  /** How much background work is in flight now. */
  get pending(): number {
    return this.inFlight.size;
  }

  /**
   * Runs `timed` once nothing else is in flight; `waited` gets how long that
   * took. Background work added while it runs starts after it.
   */
  async exclusive<T>(timed: () => Promise<T>, waited?: (ms: number) => void): Promise<T> {
    const t = performance.now();
    // Checked again after every wait: work added while waiting is waited for too.
    while (this.timed || this.inFlight.size) await (this.timed ?? Promise.all(this.inFlight));
    waited?.(performance.now() - t);
    let done!: () => void;
    this.timed = new Promise((r) => (done = r));
    try {
      return await timed();
    } finally {
      this.timed = null;
      done();
    }
  }
}
