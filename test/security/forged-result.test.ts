/**
 * Anyone able to write to the queue's Redis can complete a job with any
 * return value. A queue always has a result key (`queue.resultKeyEnv` or
 * `queue.resultKeyFile`, nothing to opt into): a worker signs each result
 * (HMAC over the job id, its data and the result) and the coordinator stores
 * only results that verify. A forged "correct in 0.001 ms" is refused and said
 * on the health page, an honest result through a real worker is stored, and
 * neither side starts without the key.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsQueueName } from '../../runner/queue/names.ts';
import { signResult } from '../../runner/queue/result-mac.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const KEY = 'k'.repeat(8) + 'result-signing-key';
const env = { ...process.env, AOCB_TEST_RESULT_KEY: KEY };

let base: string;
let redis: TestRedis;
let queue: Record<string, unknown>;
let participants: Array<Record<string, unknown>>;
const procs: ChildProcess[] = [];

const config = (name: string) => {
  mkdirSync(join(base, name), { recursive: true });
  return writeInstance(join(base, name), { year: 2024, days: 1, repeat: { runs: 2 }, queue, participants });
};
const run = (args: string[], withEnv: NodeJS.ProcessEnv = env) =>
  new Promise<{ code: number | null; err: string }>((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: withEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    procs.push(p);
    let err = '';
    p.stderr!.on('data', (d) => (err += String(d)));
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.on('exit', (code) => (clearTimeout(timer), resolve({ code, err })));
  });
const stored = () => withDb(join(base, 'coordinator'), (db) => db.$client.prepare("select status, samples from day_results").all() as Array<{ status: string; samples: string }>);
const health = () => withDb(join(base, 'coordinator'), (db) => db.$client.prepare('select message from health').all() as Array<{ message: string }>).map((h) => h.message).join('\n');

beforeAll(async () => {
  base = tempDir();
  redis = await startRedis();
  queue = { url: redis.url, hardwareClass: 'sec', prefix: `f${redis.port}`, stallSeconds: 2, resultKeyEnv: 'AOCB_TEST_RESULT_KEY' };
  const ada = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`, '1/sol.awk': '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n', '1/input.txt': '1\n2\n', '1/answers.txt': '3\n2\n' }, base);
  participants = [{ name: 'ada', repo: ada.url }];
});

afterAll(async () => {
  for (const p of procs) p.kill('SIGKILL');
  await redis?.kill();
});

describe('a result written into Redis by someone without the key', () => {
  it('is not stored, the health says so; an honest worker result is stored', async () => {
    // The attacker completes the coordinator's job from Redis alone: unsigned, and signed with a wrong key.
    const conn = new Redis(redis.url, { maxRetriesPerRequest: null });
    const forged = (id: string, data: unknown) => {
      const result = { outcome: { status: 'correct', samples: [0.001], message: null }, env: {}, durationMs: 1 };
      return id.length % 2 ? result : signResult(Buffer.from('not-the-real-key-at-all'), id, data, result);
    };
    const attacker = new Worker(jobsQueueName('sec'), async (job) => forged(job.id!, job.data), { connection: conn, prefix: queue.prefix as string });
    const coordinator = config('coordinator');
    const bad = await run(['bench', '--config', coordinator]);
    await attacker.close();
    await conn.quit();
    expect(bad.code, bad.err).toBe(0);
    expect(stored().filter((r) => r.status === 'correct')).toEqual([]);
    expect(health()).toMatch(/failed its signature check and was not stored/);

    // The real worker, with the key: its signed result is stored.
    const worker = spawn(process.execPath, [BIN, 'worker', '--config', config('worker')], { env, stdio: 'ignore' });
    procs.push(worker);
    const good = await run(['bench', '--force', '--config', coordinator]);
    worker.kill('SIGTERM');
    expect(good.code, good.err).toBe(0);
    const rows = stored();
    expect(rows.map((r) => r.status)).toEqual(['correct']);
    expect(JSON.parse(rows[0].samples).every((s: number) => s > 0.001)).toBe(true);
  }, 60_000);

  it('is never taken unchecked: without the key neither the coordinator nor a worker starts', async () => {
    const { AOCB_TEST_RESULT_KEY: _, ...keyless } = env;
    const coordinator = config('coordinator');
    const bench = await run(['bench', '--config', coordinator], keyless);
    expect(bench.code).not.toBe(0);
    expect(bench.err).toMatch(/queue.resultKeyEnv: the environment variable AOCB_TEST_RESULT_KEY is not set/);
    const worker = await run(['worker', '--config', config('worker')], keyless);
    expect(worker.code).not.toBe(0);
    expect(worker.err).toMatch(/AOCB_TEST_RESULT_KEY is not set/);
    const daemon = await run(['daemon', '--config', coordinator], keyless);
    expect(daemon.code).not.toBe(0);
    expect(daemon.err).toMatch(/AOCB_TEST_RESULT_KEY is not set/);

    // A config that names no key at all is refused before anything runs.
    const { resultKeyEnv: __, ...unkeyed } = queue;
    mkdirSync(join(base, 'unkeyed'), { recursive: true });
    const none = await run(['bench', '--config', writeInstance(join(base, 'unkeyed'), { year: 2024, days: 1, queue: unkeyed, participants })]);
    expect(none.code).not.toBe(0);
    expect(none.err).toMatch(/give either resultKeyEnv .* or resultKeyFile/);
  }, 60_000);
});
