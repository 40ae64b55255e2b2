/**
 * Failed attempts counted per client and overall in a sliding window; over
 * either limit, further attempts are refused until the window has moved on.
 * In memory: a restart forgives, which is acceptable for a login form.
 */
export interface RateLimits {
  perClient: number;
  overall: number;
  windowMs: number;
}

export class FailureLimiter {
  private byClient = new Map<string, number[]>();
  private all: number[] = [];

  constructor(private readonly limits: RateLimits) {}

  private recent(times: number[], now: number): number[] {
    const from = now - this.limits.windowMs;
    let i = 0;
    while (i < times.length && times[i] <= from) i++;
    return i ? times.slice(i) : times;
  }

  /** 0 when the client may try, else the seconds until it may. */
  retryAfter(client: string, now = Date.now()): number {
    this.all = this.recent(this.all, now);
    const mine = this.recent(this.byClient.get(client) ?? [], now);
    if (mine.length) this.byClient.set(client, mine);
    else this.byClient.delete(client);
    const wait = (times: number[], limit: number) => (times.length >= limit ? times[times.length - limit] + this.limits.windowMs - now : 0);
    const ms = Math.max(wait(mine, this.limits.perClient), wait(this.all, this.limits.overall));
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  fail(client: string, now = Date.now()): void {
    this.all.push(now);
    this.byClient.set(client, [...(this.byClient.get(client) ?? []), now]);
    // Bounded memory: a flood of distinct clients forgets the oldest; the overall limit still holds.
    if (this.byClient.size > 10_000) this.byClient.delete(this.byClient.keys().next().value!);
  }

  succeed(client: string): void {
    this.byClient.delete(client);
  }
}
