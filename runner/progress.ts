import { formatDuration } from '../lib/format.ts';

/** Live progress on stderr: what runs now and an ETA from recorded durations. */
export class Progress {
  private total = 0;
  private done = 0;
  private remainingMs = 0;

  constructor(private readonly write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)) {}

  plan(jobs: number, estimatedMs: number): void {
    this.total = jobs;
    this.remainingMs = estimatedMs;
  }

  step(who: string, day: number, step: string, detail?: string): void {
    const eta = this.total ? ` · ETA ${formatDuration(this.remainingMs)}` : '';
    this.write(`[${Math.min(this.done + 1, this.total)}/${this.total}] ${who} day ${day}: ${step}${detail ? ` (${detail})` : ''}${eta}`);
  }

  finished(estimateMs: number): void {
    this.done++;
    this.remainingMs = Math.max(0, this.remainingMs - estimateMs);
  }

  info(line: string): void {
    this.write(line);
  }
}
