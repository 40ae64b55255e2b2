import { formatDuration } from '../../lib/format.ts';
import { printableLine } from '../../lib/printable.ts';

/**
 * Live progress on stderr: what runs now and an ETA. The ETA starts from
 * recorded durations (a day never measured counts a default) and is scaled by
 * how this run is going: the time spent so far over the estimates of the days
 * done, so a first bench with no history stops promising 40 s for 500 s; the
 * time already spent on the current day comes off it, so it runs down while a
 * long day runs. Once days are planned, every line says how far the run is
 * (`[n/N]`, n the day in progress) and when it should end (clock time, UTC),
 * which the site's banner turns into a progress bar and the time left.
 */
export class Progress {
  private total = 0;
  private done = 0;
  private remainingMs = 0;
  private estimatedDoneMs = 0;
  private startedAt = 0;
  /** When the day in progress started: the last finish, or the plan. */
  private dayStartedAt = 0;

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
    this.dayStartedAt = this.startedAt;
  }

  /** What is left, in ms: the remaining estimates scaled by this run's pace. */
  etaMs(): number {
    const now = this.now();
    const pace = this.estimatedDoneMs ? (this.dayStartedAt - this.startedAt) / this.estimatedDoneMs : 1;
    return Math.max(0, Math.round(this.remainingMs * pace - (now - this.dayStartedAt)));
  }

  step(who: string, day: number, step: string, detail?: string): void {
    this.info(`${who} day ${day}: ${step}${detail ? ` (${detail})` : ''}`);
  }

  finished(estimateMs: number): void {
    this.done++;
    this.dayStartedAt = this.now();
    this.remainingMs = Math.max(0, this.remainingMs - estimateMs);
    this.estimatedDoneMs += estimateMs;
  }

  /** Every line passes here: a participant's text in it is made visible, for the terminal, the log and the job's stored progress. */
  info(line: string): void {
    this.write(printableLine(this.total && this.done < this.total ? this.decorate(line.trimStart()) : line));
  }

  /** "[3/25] alice day 3: timing · ETA 1m20s, ends 06:12:40" */
  private decorate(line: string): string {
    const eta = this.etaMs();
    const ends = new Date(this.now() + eta).toISOString().slice(11, 19);
    return `[${this.done + 1}/${this.total}] ${line} · ETA ${formatDuration(eta)}, ends ${ends}`;
  }
}
