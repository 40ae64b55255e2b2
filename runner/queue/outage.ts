import type { Redis } from 'ioredis';

/** What the queue's host failing looks like to the coordinator: the run ends for the jobs left, they stay queued, nothing is stored. */
export class QueueProblem extends Error {}

const clock = (ms: number) => `${new Date(ms).toISOString().slice(11, 19)} UTC`;

/**
 * One account of whether Redis is reachable, shared by every connection a
 * process opens to it (BullMQ opens several, and each would report every
 * failed reconnect): one line when it goes away, one when it is back.
 */
export class RedisOutage {
  private readonly down = new Set<Redis>();
  private startedAt: number | null = null;
  private announced = false;

  constructor(
    /** host:port, no password. */
    readonly where: string,
    private readonly say: (line: string) => void,
  ) {}

  /** Since when (ms) Redis has been unreachable, or null. */
  get since(): number | null {
    return this.startedAt;
  }

  /** Follows this connection and every duplicate made of it (BullMQ duplicates for its blocking reads). */
  watch(redis: Redis): Redis {
    redis.on('close', () => this.lost(redis));
    redis.on('error', (e: Error) => this.lost(redis, e));
    redis.on('ready', () => this.back(redis));
    // Disconnected on purpose: not an outage.
    redis.on('end', () => {
      this.down.delete(redis);
      if (!this.down.size) this.reset();
    });
    const duplicate = redis.duplicate.bind(redis);
    redis.duplicate = (...args: Parameters<Redis['duplicate']>) => this.watch(duplicate(...args));
    return redis;
  }

  private lost(redis: Redis, e?: Error): void {
    this.down.add(redis);
    this.startedAt ??= Date.now();
    // Said at the first failed attempt, which names the reason (a connection closing and coming straight back is no outage).
    if (e && !this.announced) {
      this.announced = true;
      this.say(`Redis at ${this.where} unreachable since ${clock(this.startedAt)}: ${e.message}; retrying`);
    }
  }

  private back(redis: Redis): void {
    this.down.delete(redis);
    if (this.down.size) return;
    const line = this.announced && this.startedAt !== null ? `Redis is back after ${Math.round((Date.now() - this.startedAt) / 1000)} s` : null;
    this.reset();
    if (line) this.say(line);
  }

  private reset(): void {
    this.startedAt = null;
    this.announced = false;
  }

  /**
   * `work`, or a QueueProblem once Redis has been unreachable for `giveUpMs`:
   * a command sent while Redis is down waits for it, and no wait is without end.
   */
  bound<T>(work: Promise<T>, giveUpMs: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setInterval(() => {
        const since = this.startedAt;
        if (since !== null && Date.now() - since > giveUpMs) reject(this.problem());
      }, Math.min(1000, giveUpMs));
    });
    return Promise.race([work, deadline]).finally(() => clearInterval(timer));
  }

  problem(): QueueProblem {
    const since = this.startedAt ?? Date.now();
    return new QueueProblem(`Redis at ${this.where} unreachable since ${clock(since)} (${Math.round((Date.now() - since) / 1000)} s); the jobs stay queued and the next run takes them up`);
  }
}

/** A connection error, said once by RedisOutage, not again by each BullMQ object that sees it. */
export function isConnectionError(e: Error & { code?: string }): boolean {
  return /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EPIPE|EAI_AGAIN)$/.test(e.code ?? '') || /Connection is closed|connect ECONN|read ECONNRESET|Stream isn't writeable/i.test(e.message);
}
