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

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
