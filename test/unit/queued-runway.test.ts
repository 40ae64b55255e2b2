/**
 * The queued runway's logic (runner/runway/queued.ts and the coordinator's
 * half of the queue) over an in-memory queue: what it queues, under which
 * ids, and what it hands back when a worker answers, fails, or the queue is
 * gone. Redis and real workers are tested end to end in
 * test/integration/queue-workers.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { errorOutcome, type DayJob, type MatrixBatch, type MatrixCell } from '../../runner/records.ts';
import type { ParticipantState } from '../../runner/prepare/participant-state.ts';
import type { Data, JobQueue, QueuedKind, Result } from '../../runner/queue/coordinator/dispatch.ts';
import { QueueProblem } from '../../runner/queue/outage.ts';
import { Progress } from '../../runner/report/progress.ts';
import { Profile } from '../../runner/report/profile.ts';
import { QueuedRunway } from '../../runner/runway/queued.ts';
import type { DayResult } from '../../runner/runway/types.ts';
import type { LoadedInstance } from '../../db/instance.ts';

type Answer = (kind: QueuedKind, data: Data<QueuedKind>) => Result<QueuedKind> | Error | null;

/** A queue in memory: a job is answered by `answer` (a worker), once per id, and remembers what happened to it. */
class MemoryQueue implements JobQueue<{ id: string }> {
  readonly settings = { repeat: { runs: 3 }, limits: { memoryMb: 256 } } as unknown as JobQueue['settings'];
  readonly submitted: Array<{ kind: QueuedKind; id: string; data: Data<QueuedKind>; fresh: boolean }> = [];
  readonly forgotten: Array<{ id: string; stored: boolean }> = [];
  readonly stored = new Map<string, string>();
  private readonly held = new Map<string, Data<QueuedKind>>();
  private kinds = new Map<string, QueuedKind>();
  watching = 0;
  closed = false;

  constructor(private readonly answer: Answer) {}

  readonly inputs = {
    store: async (text: string) => {
      const hash = `h${this.stored.size}`;
      this.stored.set(hash, text);
      return hash;
    },
  };

  async submit<K extends QueuedKind>(kind: K, id: string, data: Data<K>, opts: { fresh?: boolean } = {}) {
    this.submitted.push({ kind, id, data, fresh: !!opts.fresh });
    const added = !this.held.has(id);
    if (added) {
      this.held.set(id, data);
      this.kinds.set(id, kind);
    }
    return { job: { id }, added };
  }

  async result<K extends QueuedKind>(job: { id: string }): Promise<Result<K> | null> {
    const r = this.answer(this.kinds.get(job.id)!, this.held.get(job.id)!);
    if (r instanceof Error) throw r;
    return r as Result<K> | null;
  }

  async forget(job: { id: string }, stored = true) {
    this.forgotten.push({ id: job.id, stored });
  }

  watchWorkers() {
    this.watching++;
    return () => this.watching--;
  }

  async close() {
    this.closed = true;
  }
}

const state = (name: string, image?: string) => ({ entry: { name }, dirName: name, tree: { commit: 'c'.repeat(40) }, config: { image } }) as unknown as ParticipantState;
const dayJob = (name: string, day: number): DayJob => ({
  state: state(name), pid: 1, day, version: `v${day}`, inputVersion: 'iv', imageId: 'img', reason: 'new', estimateMs: 10,
  input: { source: 'inputs', input: `input ${day}\n`, answers: { part1: '1', part2: '2' } },
});
const inst = { file: 'x', dataDir: '/nonexistent', inputsDir: '/nonexistent', config: { queue: { hardwareClass: 'test' } } } as unknown as LoadedInstance;

function runway(answer: Answer, opts: { force?: boolean; signal?: AbortSignal } = {}) {
  const lines: string[] = [];
  const queue = new MemoryQueue(answer);
  process.env.AOCBENCH_TEST_RESULT_KEY = 'k'.repeat(32);
  const q = { hardwareClass: 'test', resultKeyEnv: 'AOCBENCH_TEST_RESULT_KEY' } as never;
  const r = new QueuedRunway(inst, q, { progress: new Progress((l) => lines.push(l)), profile: new Profile(), signal: opts.signal ?? new AbortController().signal, force: !!opts.force }, () => queue);
  // Read once, when the runway opens (unit files share one process: none leaves the environment changed).
  delete process.env.AOCBENCH_TEST_RESULT_KEY;
  return { r, queue, lines };
}

const env = { executor: 'docker', hardwareClass: 'test' };

describe('the queued runway', () => {
  it('queues every day once under an id naming its work, and hands each result back with when it started on its worker', async () => {
    const { r, queue, lines } = runway((kind, d) => ({ outcome: { ...errorOutcome(null), status: 'correct', samplesMs: [1, 2, 3] }, env, host: 'w1', imageId: 'img', durationMs: 5_000 }) as never);
    const ran: Array<[string, number, DayResult]> = [];
    const before = Date.now();
    await r.runDays([dayJob('Ada', 1), dayJob('Ada', 2), dayJob('Ada', 1)], { ran: (j, res) => ran.push([j.state.entry.name, j.day, res]), notRun: () => expect.unreachable() });
    expect(queue.submitted.map((s) => s.kind)).toEqual(['time', 'time', 'time']);
    // The same work twice is one job: the second is waited for, not added.
    expect(new Set(queue.submitted.map((s) => s.id)).size).toBe(2);
    expect(lines.filter((l) => l.includes('already queued'))).toHaveLength(1);
    expect(ran.map(([n, d, res]) => [n, d, res.outcome.status])).toEqual([['Ada', 1, 'correct'], ['Ada', 2, 'correct'], ['Ada', 1, 'correct']]);
    // The stored duration is the worker's 5 s, not the time the job waited.
    for (const [, , res] of ran) expect(before - res.startedAt).toBeGreaterThanOrEqual(4_900);
    // The input travels by hash; each stored result frees its job.
    expect(queue.stored.get((queue.submitted[0].data as Data<'time'>).inputHash)).toBe('input 1\n');
    expect(queue.forgotten.every((f) => f.stored)).toBe(true);
    expect(r.onWorkers).toBe(true);
    expect(r.containers).toBe(0);
    expect(queue.watching).toBe(0);
    await r.close();
    expect(queue.closed).toBe(true);
  });

  it("a worker's failure or a lost queue is not the participant's: nothing is handed back as a result, and the reason is", async () => {
    const { r, queue } = runway((_, d) => {
      const day = (d as Data<'time'>).day;
      if (day === 1) return new Error('Docker is not reachable on w1');
      if (day === 2) return new QueueProblem('Redis has been unreachable for 60 s');
      return null; // stored by another run that waited for the same job
    });
    const notRun: Array<[number, string]> = [];
    await r.runDays([dayJob('Bo', 1), dayJob('Bo', 2), dayJob('Bo', 3)], { ran: () => expect.unreachable(), notRun: (j, why) => notRun.push([j.day, why]) });
    expect(notRun).toEqual([
      [1, 'not run: the worker failed: Docker is not reachable on w1'],
      [2, 'not run: Redis has been unreachable for 60 s'],
    ]);
    // The failed job is let go (not stored); the one Redis holds stays queued for the next run.
    expect(queue.forgotten).toEqual([{ id: queue.submitted[0].id, stored: false }]);
  });

  it('a forced run replaces finished jobs; an aborted one hands nothing back', async () => {
    const answer: Answer = () => ({ outcome: errorOutcome('x'), env, host: 'w', imageId: null, durationMs: 1 }) as never;
    const forced = runway(answer, { force: true });
    await forced.r.runDays([dayJob('Cy', 1)], { ran: () => {}, notRun: () => {} });
    expect(forced.queue.submitted[0].fresh).toBe(true);
    const stop = new AbortController();
    stop.abort();
    const aborted = runway(answer, { signal: stop.signal });
    await aborted.r.runDays([dayJob('Cy', 1)], { ran: () => expect.unreachable(), notRun: () => expect.unreachable() });
  });

  it("queues each matrix batch as one job and keeps only the cells of the inputs it sent", async () => {
    const cell = (input: string): MatrixCell => ({ input, inputVersion: 'v', status: 'correct', exitCode: 0, message: null, output: null, wallMs: 1, runAt: 0, expected: null });
    const { r, queue } = runway(() => ({ host: 'w', cells: [cell('Ada'), cell('Bo'), cell('Mallory')] }) as never);
    const batch: MatrixBatch = {
      state: state('Ada'), pid: 1, day: 4, inputPath: 'in', solverVersion: 'sv', imageId: 'img', announce: 2,
      inputs: ['Ada', 'Bo'].map((name) => ({ name, ownerId: null, input: `${name}\n`, answers: { part1: null, part2: null }, version: 'v' })),
    };
    const saved: Array<[number, string[]]> = [];
    await r.runBatches([batch], (b, cells) => saved.push([b.day, cells.map((c) => c.input)]));
    expect(queue.submitted.map((s) => [s.kind, (s.data as Data<'matrix'>).inputs.length])).toEqual([['matrix', 2]]);
    expect(saved).toEqual([[4, ['Ada', 'Bo']]]);
  });
});
