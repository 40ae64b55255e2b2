/**
 * A worker under the VM executor's rules: an executor that allows one sandbox
 * at a time (a VM guest's memory is sized for one guest) never has two,
 * though a worker otherwise starts the next matrix job's sandbox while the
 * current one runs. Real Redis, git and queue; a fake executor that counts
 * its live sandboxes and whose commands take real time.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matrix } from '../../runner/cycle/matrix.ts';
import { FakeExecutor } from '../../runner/executor/fake.ts';
import type { Session, SessionSpec } from '../../runner/executor/types.ts';
import { worker } from '../../runner/queue/worker/worker.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { quietProgress, writeInstance } from '../helpers/instance.ts';
import { resultKeyFile } from '../helpers/queue-key.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Counts sandboxes alive at once; each command takes 150 ms of real time, so a sandbox started ahead overlaps the running one. */
class CountingExecutor extends FakeExecutor {
  alive = 0;
  peak = 0;

  constructor(maxSandboxes: number) {
    super(() => ({ output: 'Part 1: 6\nPart 2: 3\n', ms: 5 }), maxSandboxes);
  }

  override async start(spec: SessionSpec): Promise<Session> {
    const s = await super.start(spec);
    this.peak = Math.max(this.peak, ++this.alive);
    const close = s.close.bind(s);
    const exec = s.exec.bind(s);
    s.exec = async (cmd, opts) => {
      await sleep(150);
      return exec(cmd, opts);
    };
    s.close = async () => {
      await sleep(20);
      this.alive--;
      return close();
    };
    return s;
  }
}

let redis: TestRedis;
let base: string;

beforeAll(async () => {
  base = tempDir();
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.kill();
});

async function matrixOnWorker(maxSandboxes: number, prefix: string): Promise<{ peak: number; cells: number; sessions: number }> {
  const days = Object.assign({}, ...[1, 2, 3, 4].map((d) => ({ [`${d}/sol.sh`]: 'echo\n', [`${d}/input.txt`]: '1\n2\n3\n', [`${d}/answers.txt`]: '6\n3\n' })));
  const ada = makeRepo({ '.aocbench.yaml': 'version: 1\nimage: fake/solver:1\ncmd: sh %day%/sol.sh\n', ...days }, base);
  const queue = { url: redis.url, hardwareClass: 'test', prefix, stallSeconds: 5, resultKeyFile: resultKeyFile() };
  const cfg = (dir: string) => {
    const d = join(base, `${prefix}-${dir}`);
    mkdirSync(d, { recursive: true });
    return writeInstance(d, { year: 2024, days: 4, repeat: { runs: 2 }, queue, participants: [{ name: 'ada', repo: ada.url }] });
  };
  const executor = new CountingExecutor(maxSandboxes);
  const w = await worker({ config: cfg('worker'), executor, log: () => {} });
  try {
    const s = await matrix({ config: cfg('coordinator'), progress: quietProgress() });
    return { peak: executor.peak, cells: s.cells.length, sessions: executor.sessions.length };
  } finally {
    await w.close();
  }
}

describe('a worker whose executor allows one sandbox at a time', () => {
  it('never has two sandboxes alive, where an executor without that rule starts the next one ahead', async () => {
    const one = await matrixOnWorker(1, 'one');
    expect(one.cells).toBe(4);
    expect(one.sessions).toBe(4);
    expect(one.peak).toBe(1);
    // The same jobs on an executor that allows more: the worker's look-ahead overlaps them (what the rule prevents).
    const many = await matrixOnWorker(Infinity, 'many');
    expect(many.cells).toBe(4);
    expect(many.peak).toBeGreaterThanOrEqual(2);
  });
});
