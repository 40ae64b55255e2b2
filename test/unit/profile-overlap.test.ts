/**
 * Sandboxes start and close in the background while days are in their
 * untimed steps, but never while a timed run is in flight. A whole bench
 * cycle (real git, real SQLite) through the fake executor, whose starts and
 * closes take a little while and are recorded as intervals: no start or close
 * may intersect a timed run, some must intersect untimed work (or nothing
 * overlapped at all), days of one participant that share a persistence dir
 * never coexist, and the stored results are those of a strictly sequential
 * run (the `vm` kind: one sandbox at a time, nothing ahead).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { listParticipants } from '../../db/queries/participants.ts';
import { listDayResults } from '../../db/queries/results.ts';
import { bench } from '../../runner/cycle/bench.ts';
import { FakeExecutor, type FakeCall, type FakeRun } from '../../runner/executor/fake.ts';
import type { Executor, ExecutorKind, Session, SessionSpec } from '../../runner/executor/types.ts';
import { UntimedWork } from '../../runner/day/untimed-work.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { quietProgress, withDb, writeInstance } from '../helpers/instance.ts';

const INPUT = '1\n2\n3\n';
const DAYS = 6;

function program(call: FakeCall): FakeRun {
  const [cmd, day, input] = call.argv;
  const nums = (call.files.get(input) ?? '').split('\n').filter(Boolean).map(Number);
  const right = `Part 1: ${nums.reduce((a, b) => a + b, 0)}\nPart 2: ${nums.length}\n`;
  if (cmd === 'solve') return { output: right, ms: Number(day) + (call.nth % 3) };
  if (cmd === 'wrong') return { output: day === '2' ? 'Part 1: 7\n' : right, ms: 2 };
  return { output: `${cmd}: not found\n`, code: 127, ms: 1 };
}

interface Interval {
  what: 'start' | 'close' | 'untimed' | 'timed';
  session: string;
  volumes: string[];
  from: number;
  to: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The fake sandbox, with starts, closes and commands that take real (short) time, each recorded as an interval. */
class RecordingExecutor implements Executor {
  readonly log: Interval[] = [];
  private readonly fake = new FakeExecutor(program);
  private clock = 0;
  private alive = 0;
  failedStarts = 0;

  /** `roomFor`: a start fails when that many sandboxes are already alive or starting (a host out of room). */
  /** A VM allows one sandbox at a time (executor/vm/vm.ts); Docker as many as the look-ahead wants. */
  readonly maxSandboxes: number;

  constructor(
    readonly kind: ExecutorKind,
    private readonly roomFor = Infinity,
  ) {
    this.maxSandboxes = kind === 'vm' ? 1 : Infinity;
  }

  private async record<T>(what: Interval['what'], spec: SessionSpec, ms: number, f: () => Promise<T>): Promise<T> {
    const from = performance.now();
    await sleep(ms);
    const out = await f();
    this.log.push({ what, session: spec.name, volumes: spec.persistence.map((p) => p.volume), from, to: performance.now() });
    return out;
  }

  unavailable = () => this.fake.unavailable();
  prepareImage = (r: Parameters<Executor['prepareImage']>[0]) => this.fake.prepareImage(r);
  sweep = () => this.fake.sweep();
  environment = (limits: { memoryMb: number }) => this.fake.environment(limits);

  async start(spec: SessionSpec): Promise<Session> {
    if (this.alive >= this.roomFor) {
      this.failedStarts++;
      throw new Error('no room for another sandbox');
    }
    this.alive++;
    const inner = await this.record('start', spec, 15, () => this.fake.start(spec));
    const rec = this.record.bind(this);
    const tick = () => (this.clock++ % 3) + 2;
    return {
      putFile: (p, c) => rec('untimed', spec, tick(), () => inner.putFile(p, c)),
      exec: (c, o) => rec('untimed', spec, tick(), () => inner.exec(c, o)),
      time: (c, p) => rec('timed', spec, 10, () => inner.time(c, p)),
      mark: () => inner.mark(),
      checkDisk: () => inner.checkDisk(),
      setNetwork: (on) => inner.setNetwork(on),
      openShell: (t) => inner.openShell(t),
      close: () => rec('close', spec, 12, () => inner.close()).finally(() => this.alive--),
    };
  }
}

const overlaps = (a: Interval, b: Interval) => a.from < b.to && b.from < a.to;

async function season(kind: ExecutorKind, roomFor = Infinity) {
  const base = tempDir();
  const days = (f: (d: number) => Record<string, string>) => Object.assign({}, ...Array.from({ length: DAYS }, (_, i) => f(i + 1)));
  const alice = makeRepo({ '.aocbench.yaml': 'version: 1\nimage: fake/img:1\ncmd: solve %day% %input%\n', ...days((d) => ({ [`${d}/sol`]: 'x', [`${d}/input.txt`]: INPUT, [`${d}/answers.txt`]: '6\n3\n' })) }, base);
  // Carol keeps a cache dir across her days: her sandboxes must never exist at once.
  const carol = makeRepo({ '.aocbench.yaml': 'version: 1\nimage: fake/img:1\npersistence: [/cache]\ncmd: solve %day% %input%\n', ...days((d) => ({ [`${d}/sol`]: 'z' })) }, base);
  const bob = makeRepo({ '.aocbench.yaml': 'version: 1\nimage: fake/img:1\ncmd: wrong %day% %input%\n', ...days((d) => ({ [`${d}/sol`]: 'y' })) }, base);
  const config = writeInstance(base, {
    year: 2024, days: DAYS, repeat: { runs: 4, warmup: 1, timeoutSec: 30 },
    participants: [{ name: 'alice', repo: alice.url }, { name: 'carol', repo: carol.url }, { name: 'bob', repo: bob.url }],
  });
  const executor = new RecordingExecutor(kind, roomFor);
  const summary = await bench({ config, executor, progress: quietProgress() });
  const stored = withDb(base, (db) => {
    const names = new Map(listParticipants(db).map((p) => [p.id, p.name]));
    return listDayResults(db)
      .map((r) => ({ who: names.get(r.participantId), day: r.day, status: r.status, failedStep: r.failedStep, samples: r.samples, medianMs: r.medianMs, message: r.message, checkMs: r.checkMs }))
      .sort((a, b) => `${a.who}/${a.day}`.localeCompare(`${b.who}/${b.day}`));
  });
  return { log: executor.log, summary, stored, failedStarts: executor.failedStarts };
}

let overlapped: Awaited<ReturnType<typeof season>>;
let sequential: Awaited<ReturnType<typeof season>>;

beforeAll(async () => {
  overlapped = await season('docker');
  sequential = await season('vm');
});

describe('untimed work beside the days of a bench run', () => {
  it('starts and closes no sandbox while a timed run is in flight', () => {
    const timed = overlapped.log.filter((i) => i.what === 'timed');
    const lifecycle = overlapped.log.filter((i) => i.what === 'start' || i.what === 'close');
    expect(timed.length).toBeGreaterThanOrEqual(DAYS * 2);
    expect(lifecycle.length).toBe(DAYS * 3 * 2);
    for (const t of timed) expect(lifecycle.filter((l) => overlaps(l, t))).toEqual([]);
  });

  it('does overlap them with untimed work, and waits less for sandboxes than one thing at a time', () => {
    const untimed = overlapped.log.filter((i) => i.what === 'untimed');
    const hidden = overlapped.log.filter((i) => (i.what === 'start' || i.what === 'close') && untimed.some((u) => u.session !== i.session && overlaps(u, i)));
    expect(hidden.length).toBeGreaterThan(DAYS);
    // What the days waited for sandboxes (their start, the close before it, background work before a timed run).
    const waited = (r: typeof overlapped) => r.summary.profile.foreground.filter((p) => ['sandbox start', 'wait for untimed work', 'close'].includes(p.phase)).reduce((x, p) => x + p.ms, 0);
    expect(waited(overlapped)).toBeLessThan(waited(sequential) * 0.75);
  });

  it('never lets two sandboxes that share a persistence dir exist at once', () => {
    const lives = new Map<string, { from: number; to: number; volumes: string[] }>();
    for (const i of overlapped.log) {
      if (i.what === 'start') lives.set(i.session, { from: i.from, to: Infinity, volumes: i.volumes });
      if (i.what === 'close') lives.get(i.session)!.to = i.to;
    }
    const carol = [...lives.entries()].filter(([, l]) => l.volumes.length);
    expect(carol.length).toBe(DAYS);
    for (const [a, la] of carol) for (const [b, lb] of carol) if (a !== b) expect(la.from < lb.to && lb.from < la.to, `${a} and ${b}`).toBe(false);
  });

  it('with a VM, one sandbox at a time: each starts after the last one closed', () => {
    const life = sequential.log.filter((i) => i.what === 'start' || i.what === 'close');
    for (let k = 1; k < life.length; k++) expect(life[k].what).not.toBe(life[k - 1].what);
  });

  it('retries a start ahead that failed, instead of failing the day', async () => {
    const cramped = await season('docker', 2);
    expect(cramped.failedStarts).toBeGreaterThan(0);
    expect(cramped.stored).toEqual(sequential.stored);
  });

  it('stores the same results as a strictly sequential run', () => {
    expect(overlapped.stored).toEqual(sequential.stored);
    expect(overlapped.stored.filter((r) => r.status === 'correct')).toHaveLength(DAYS * 3 - 1);
    expect(overlapped.stored.find((r) => r.who === 'bob' && r.day === 2)).toMatchObject({ status: 'wrong', failedStep: 'check' });
    expect(overlapped.summary.containers).toBe(DAYS * 3);
  });
});

describe('UntimedWork', () => {
  it('runs a timed run only once background work settled, and holds back work added meanwhile', async () => {
    const gate = new UntimedWork();
    const events: string[] = [];
    void gate.add(async () => {
      await sleep(20);
      events.push('build done');
    });
    const timed = gate.exclusive(async () => {
      events.push('timed start');
      void gate.add(async () => events.push('close started'));
      await sleep(20);
      events.push('timed end');
    });
    await timed;
    await sleep(1);
    expect(events).toEqual(['build done', 'timed start', 'timed end', 'close started']);
  });

  it('lets a failed background task count as settled', async () => {
    const gate = new UntimedWork();
    const failed = gate.add(async () => {
      throw new Error('no');
    });
    await expect(failed).rejects.toThrow('no');
    expect(await gate.exclusive(async () => 'ran')).toBe('ran');
    expect(gate.pending).toBe(0);
  });
});
