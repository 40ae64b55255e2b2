import { formatDuration } from '../../lib/format.ts';
import { printableLine } from '../../lib/printable.ts';

/**
 * Live progress on stderr: what runs now and an ETA. The ETA starts from
 * recorded durations (a day never measured counts a default) and is scaled by
 * how this run is going: the time spent so far over the estimates of the days
 * done, so a first bench with no history stops promising 40 s for 500 s.
 */
export class Progress {
  private total = 0;
  private done = 0;
  private remainingMs = 0;
  private estimatedDoneMs = 0;
  private startedAt = 0;

  constructor(
    private readonly write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
    private readonly now: () => number = Date.now,
  ) {}

  plan(jobs: number, estimatedMs: number): void {
    this.total = jobs;
    this.done = 0;
    this.remainingMs = estimatedMs;
    this.estimatedDoneMs = 0;
    this.startedAt = this.now();
  }

  /** What is left, in ms: the remaining estimates scaled by this run's pace. */
  etaMs(): number {
    if (!this.estimatedDoneMs) return this.remainingMs;
    return Math.round(this.remainingMs * ((this.now() - this.startedAt) / this.estimatedDoneMs));
  }

  step(who: string, day: number, step: string, detail?: string): void {
    const eta = this.total ? ` · ETA ${formatDuration(this.etaMs())}` : '';
    this.info(`[${Math.min(this.done + 1, this.total)}/${this.total}] ${who} day ${day}: ${step}${detail ? ` (${detail})` : ''}${eta}`);
  }

  finished(estimateMs: number): void {
    this.done++;
    this.remainingMs = Math.max(0, this.remainingMs - estimateMs);
    this.estimatedDoneMs += estimateMs;
  }

  /** Every line passes here: a participant's text in it is made visible, for the terminal, the log and the job's stored progress. */
  info(line: string): void {
    this.write(printableLine(line));
  }
}
