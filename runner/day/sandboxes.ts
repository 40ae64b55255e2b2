import type { CommandSpec } from '../../lib/command.ts';
import type { ExecResult, Executor, Session, SessionSpec, TimePolicy, TimeResult } from '../executor/types.ts';
import type { Profile } from '../report/profile.ts';
import type { UntimedWork } from './untimed-work.ts';

const volumesOf = (spec: SessionSpec) => spec.persistence.map((p) => p.volume);

export interface AheadPolicy {
  /** How many of the following days' sandboxes may be started before they are needed. */
  ahead: number;
  /**
   * Starts and closes go in bursts: the next few days' starts and the last
   * few days' closes all at once, then none until those days are used up.
   * A run with timed runs wants this: its timed runs wait for background work,
   * once per burst instead of once per day, and side by side the starts are
   * about twice as fast as one after the other.
   */
  bursts: boolean;
}

interface Closing {
  volumes: string[];
  done: Promise<void>;
}

/**
 * The days' sandboxes of one bench or matrix run, used in order: the
 * following days' sandboxes are started while the current day is in its
 * untimed steps, and finished ones are closed in the background, all as
 * untimed work, so no timed run overlaps them. Two sandboxes that share a
 * persistence dir (days of one participant) never exist at once: what one
 * day wrote must be there, or wiped, before the next day's sandbox mounts it.
 */
export class DaySandboxes {
  private readonly ahead = new Map<number, { spec: SessionSpec; session: Promise<Session | null> }>();
  private readonly inUse = new Map<number, string[]>();
  /** Finished sandboxes whose close waits for the next burst. */
  private readonly toClose: Array<{ volumes: string[]; session: Session }> = [];
  private readonly closing = new Set<Closing>();
  private readonly overlap: boolean;
  /** The first day not yet started (ahead or by take). */
  private next = 0;
  /** Sandboxes started so far, those started ahead that no day took included: what the summary reports. */
  started = 0;

  constructor(
    private readonly executor: Executor,
    private readonly gate: UntimedWork,
    private readonly profile: Profile,
    /** Each day's sandbox, in the order take() is called. */
    private readonly specs: Array<() => Promise<SessionSpec>>,
    private readonly policy: AheadPolicy,
    /** A close that failed (the sandbox is left to the next sweep). */
    private readonly onCloseError: (message: string) => void,
  ) {
    // The executor says how many may exist at once (a VM guest: one).
    this.overlap = executor.maxSandboxes > 1 && policy.ahead > 0;
  }

  private held(): string[] {
    return [...this.inUse.values(), ...[...this.ahead.values()].map((a) => volumesOf(a.spec)), ...this.toClose.map((c) => c.volumes), ...[...this.closing].map((c) => c.volumes)].flat();
  }

  /** The sandbox of day `n`: the one started ahead, or one started now (after the closes it must wait for). */
  async take(n: number): Promise<TrackedSession> {
    const t = performance.now();
    try {
      const early = this.ahead.get(n);
      this.ahead.delete(n);
      this.next = Math.max(this.next, n + 1);
      let session = early ? await early.session : null;
      const spec = early?.spec ?? (await this.specs[n]());
      if (!session) {
        // A start ahead that failed is tried again once the others closed: overlapping must never be what turns a day into an error.
        this.flushCloses();
        const mine = volumesOf(spec);
        const mustWait = (c: Closing) => !this.overlap || !!early || c.volumes.some((v) => mine.includes(v));
        await Promise.all([...this.closing].filter(mustWait).map((c) => c.done));
        session = await this.startOne(spec);
      }
      this.inUse.set(n, volumesOf(spec));
      await this.startAhead(n);
      return new TrackedSession(session, this.gate, this.profile);
    } finally {
      this.profile.add('sandbox start', performance.now() - t);
    }
  }

  private async startOne(spec: SessionSpec): Promise<Session> {
    const session = await this.executor.start(spec);
    this.started++;
    return session;
  }

  /** Starts the following days' sandboxes in the background, as far as the policy and the persistence dirs allow. */
  private async startAhead(n: number): Promise<void> {
    if (!this.overlap || (this.policy.bursts && this.ahead.size)) return;
    while (this.next < this.specs.length && this.next <= n + this.policy.ahead) {
      // A spec that cannot be made (too large a tree) fails again in take(), as that day's error.
      const spec = await this.specs[this.next]().catch(() => null);
      const held = this.held();
      // Days run in order: the first day that cannot start ahead stops the rest.
      if (!spec || volumesOf(spec).some((v) => held.includes(v))) break;
      const started = this.gate.add(() => this.profile.time('sandbox start', () => this.startOne(spec), true));
      this.ahead.set(this.next++, { spec, session: started.catch(() => null) });
    }
    this.flushCloses();
  }

  /** Closes the sandbox of day `n` in the background: now, or with the next burst. */
  release(n: number, session: Session): void {
    const volumes = this.inUse.get(n) ?? [];
    this.inUse.delete(n);
    this.toClose.push({ volumes, session });
    if (!this.overlap || !this.policy.bursts) this.flushCloses();
  }

  private flushCloses(): void {
    for (const { volumes, session } of this.toClose.splice(0)) {
      const entry: Closing = { volumes, done: Promise.resolve() };
      entry.done = this.gate
        .add(() => this.profile.time('close', () => session.close(), true))
        .catch((e: Error) => this.onCloseError(`closing a sandbox failed: ${e.message}`))
        .finally(() => this.closing.delete(entry));
      this.closing.add(entry);
    }
  }

  /** Closes what is left (sandboxes started ahead that no day took, after an interruption) and waits for every close. */
  async drain(): Promise<void> {
    const t = performance.now();
    for (const [n, a] of this.ahead) {
      this.ahead.delete(n);
      const s = await a.session;
      if (s) this.toClose.push({ volumes: [], session: s });
    }
    this.flushCloses();
    while (this.closing.size) await Promise.all([...this.closing].map((c) => c.done));
    this.profile.add('close', performance.now() - t);
  }
}

/**
 * A day's session as the runner uses it: its timed runs wait until no
 * untimed work is in flight (and hold new work back), and every call is
 * counted in the profile under the step it belongs to.
 */
export class TrackedSession implements Session {
  /** The day's current step, as runDay reports it: an exec during runonce is runonce's time. */
  step = '';

  constructor(
    readonly inner: Session,
    private readonly gate: UntimedWork,
    private readonly profile: Profile,
  ) {}

  putFile(path: string, content: string): Promise<void> {
    return this.profile.time('untimed', () => this.inner.putFile(path, content));
  }

  exec(cmd: CommandSpec, opts: { timeoutMs: number; capMode: 'kill' | 'cut' }): Promise<ExecResult> {
    return this.profile.time(this.step === 'runonce' ? 'runonce' : 'untimed', () => this.inner.exec(cmd, opts));
  }

  time(cmd: CommandSpec, policy: TimePolicy): Promise<TimeResult> {
    return this.gate.exclusive(
      () => this.profile.time('timed runs', () => this.inner.time(cmd, policy)),
      (ms) => this.profile.add('wait for untimed work', ms),
    );
  }

  mark(): Promise<string | null> {
    return this.profile.time('untimed', () => this.inner.mark());
  }

  checkDisk(): Promise<string | null> {
    return this.profile.time('disk check', () => this.inner.checkDisk());
  }

  setNetwork(on: boolean): Promise<void> {
    return this.profile.time('runonce', () => this.inner.setNetwork(on));
  }

  openShell(tty: boolean): Promise<{ command: string; args: string[] }> {
    return this.inner.openShell(tty);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
