/**
 * News to a real HTTP listener started here: one signed message per cycle
 * with news, none for a cycle without, a failing target retried with backoff
 * while the run goes on, and the Discord and Slack shapes from
 * `aocbench notify --test`.
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataDb } from '../../db/client.ts';
import { deliveryProblems, newsFingerprint } from '../../db/queries/news.ts';
import { bench } from '../../runner/cycle/bench.ts';
import { deliverDue } from '../../runner/notify/deliver.ts';
import { commit, makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { quietProgress, withDb, writeInstance } from '../helpers/instance.ts';

const SECRET = 'a-shared-secret-for-the-test';
const SUM = '{ s += $1 } END { print s; print NR }\n';
const BIN = join(import.meta.dirname, '../../bin/aocbench.js');

interface Received {
  path: string;
  signature: string | undefined;
  body: string;
}

let server: Server;
let url = '';
const received: Received[] = [];
let answer = 200;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ path: req.url ?? '', signature: req.headers['x-aocbench-signature'] as string | undefined, body });
      res.writeHead(answer, { 'content-type': 'application/json' }).end(answer === 200 ? '{}' : '{"error":"down"}');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  process.env.AOCBENCH_TEST_NEWS_URL = `${url}/hook`;
  process.env.AOCBENCH_TEST_NEWS_SECRET = SECRET;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const verified = (r: Received) => r.signature === `sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`;
type Body = { text: string; events: Array<{ kind: string; participant: string; day?: number; medal?: string }> };

describe('news to a webhook', () => {
  const base = tempDir();
  const repo = (fast: boolean) =>
    makeRepo({
      '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: ${fast ? 'awk -f %day%/sol.awk %input%' : 'sh -c "i=0; while [ $i -lt 40000 ]; do i=$((i+1)); done; awk -f %day%/sol.awk %input%"'}\n`,
      '1/sol.awk': SUM, '1/input.txt': '1\n2\n', '1/answers.txt': '3\n2\n',
    }, base);
  // Grace runs a long shell loop first: far slower, so Ada's gold does not depend on the machine's noise.
  const ada = repo(true);
  const grace = repo(false);
  const config = writeInstance(base, {
    year: 2024, days: 1, podium: true, repeat: { runs: 3, warmup: 0 },
    notify: [{ kind: 'webhook', urlEnv: 'AOCBENCH_TEST_NEWS_URL', secretEnv: 'AOCBENCH_TEST_NEWS_SECRET' }],
    participants: [{ name: 'Ada', repo: ada.url }, { name: 'Grace', repo: grace.url }],
  });

  it('a bench that puts participants on the podium delivers exactly one signed message naming them', async () => {
    await bench({ config, progress: quietProgress() });
    expect(received).toHaveLength(1);
    expect(verified(received[0])).toBe(true);
    const body = JSON.parse(received[0].body) as Body;
    expect(body.events).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'podium', participant: 'Ada', day: 1, medal: 'gold' }),
      expect.objectContaining({ kind: 'first-solve', participant: 'Ada', day: 1 }),
      expect.objectContaining({ kind: 'leader', participant: 'Ada' }),
    ]));
    expect(body.text).toContain('Ada takes gold on day 1');
  });

  it('a bench in which nothing changed delivers nothing, and does not read the board again', async () => {
    const fingerprint = () => withDb(base, (db) => newsFingerprint(db));
    const before = fingerprint();
    await bench({ config, progress: quietProgress() });
    expect(received).toHaveLength(1);
    // What news reads did not move (so the board is not read again after the cycle); it moves when a day runs (the next test).
    expect(fingerprint()).toBe(before);
  });

  it('a target that answers 500 is tried once, the run goes on, and it is retried later with backoff', async () => {
    answer = 500;
    commit(grace.dir, { '1/sol.awk': '{ s += $1 } END { print s + 1; print NR }\n' });
    const t = Date.now();
    await bench({ config, progress: quietProgress() });
    const took = Date.now() - t;
    expect(received).toHaveLength(2);
    expect((JSON.parse(received[1].body) as Body).events).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'broke', participant: 'Grace', day: 1, status: 'wrong' })]));
    const db = openDataDb(join(base, 'data'));
    try {
      const row = db.$client.prepare('select status, attempts, next_at as nextAt, last_error as err from notifications order by id desc limit 1').get() as { status: string; attempts: number; nextAt: number; err: string };
      expect(row).toMatchObject({ status: 'pending', attempts: 1, err: 'HTTP 500' });
      // Backed off from the moment it failed; the run did not wait for it.
      expect(row.nextAt).toBeGreaterThanOrEqual(t + 30_000);
      expect(row.nextAt - Date.now()).toBeGreaterThan(took > 30_000 ? 0 : 30_000 - took - 1000);
      expect(deliveryProblems(db)).toEqual([expect.objectContaining({ target: 'webhook:AOCBENCH_TEST_NEWS_URL', status: 'pending', lastError: 'HTTP 500' })]);
      // Not due yet: nothing is sent.
      expect((await deliverDue(db)).sent).toBe(0);
      expect(received).toHaveLength(2);
      answer = 200;
      const later = await deliverDue(db, { now: () => row.nextAt + 1 });
      expect(later.sent).toBe(1);
      expect(received).toHaveLength(3);
      expect(received[2].body).toBe(received[1].body);
      expect(verified(received[2])).toBe(true);
      expect(deliveryProblems(db)).toEqual([]);
    } finally {
      db.$client.close();
    }
  });
});

describe('aocbench notify --test', () => {
  it('sends a sample to each target: a signed webhook, Discord `content` without mentions, Slack `text`', async () => {
    const base = tempDir();
    const config = writeInstance(base, {
      year: 2024, days: 1,
      notify: [
        { kind: 'webhook', urlEnv: 'T_HOOK', secretEnv: 'T_SECRET' },
        { kind: 'discord', urlEnv: 'T_DISCORD' },
        { kind: 'slack', urlEnv: 'T_SLACK' },
      ],
      participants: [],
    });
    answer = 200;
    const from = received.length;
    const env = { ...process.env, T_HOOK: `${url}/w`, T_SECRET: SECRET, T_DISCORD: `${url}/d`, T_SLACK: `${url}/s` };
    const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'notify', '--test', '-c', config], { env, timeout: 60_000 });
    expect(stdout).toMatch(/webhook:T_HOOK: sent/);
    const got = new Map(received.slice(from).map((r) => [r.path, r]));
    expect([...got.keys()].sort()).toEqual(['/d', '/s', '/w']);
    expect(verified(got.get('/w')!)).toBe(true);
    expect(JSON.parse(got.get('/d')!.body)).toEqual({ content: expect.stringContaining('takes gold on day 1'), allowed_mentions: { parse: [] } });
    expect(JSON.parse(got.get('/s')!.body)).toEqual({ text: expect.stringContaining('leads the board') });
    expect(got.get('/d')!.signature).toBeUndefined();
  });
});
