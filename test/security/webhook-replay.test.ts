/**
 * Issue 20, webhook replay: a signed GitHub delivery captured on the way (a
 * proxy log, a leaked request) and sent again must not queue anything. Each
 * delivery id is acted on once within the window, through a real `aocbench
 * web` and its SQLite; the job it queued may even have run already.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOnce, DELIVERY_WINDOW_MS } from '../../db/queries/deliveries.ts';
import { enqueueJob, finishJob, listJobs } from '../../db/queries/jobs.ts';
import { tempDir } from '../helpers/git-repo.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';
import { startWebServer, type WebServer } from '../helpers/web-server.ts';

const SECRET = 'webhook-secret-replay';
let base: string;
let server: WebServer;

const jobs = () => withDb(base, listJobs);
const deliveries = () => withDb(base, (db) => db.$client.prepare('select id, received_at as at from webhook_deliveries').all() as Array<{ id: string; at: number }>);

/** A delivery as GitHub sends it: the body, its signature and its id, captured whole. */
function delivery(url: string, id = randomUUID(), extra: Record<string, unknown> = {}) {
  const body = JSON.stringify({ ref: 'refs/heads/main', repository: { clone_url: url, pushed_at: Math.floor(Date.now() / 1000), ...extra } });
  const headers = { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': id, 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` };
  return { id, body, headers };
}
const send = (d: { body: string; headers: Record<string, string> }) => fetch(`${server.url}/api/webhooks/github`, { method: 'POST', headers: d.headers, body: d.body });

beforeAll(async () => {
  base = tempDir('aocbench-replay-');
  const config = writeInstance(base, {
    year: 2024, days: 25, webhooks: { githubSecret: SECRET },
    participants: [{ name: 'alice', repo: 'https://github.com/alice/aoc.git' }, { name: 'bob', repo: 'https://github.com/bob/aoc.git' }],
  });
  server = await startWebServer(config);
}, 60_000);

afterAll(async () => server?.stop());

describe('a replayed webhook delivery', () => {
  it('the same signed delivery twice makes one job; the replay is answered "already received"', async () => {
    const d = delivery('https://github.com/alice/aoc.git');
    const first = await send(d);
    expect(first.status).toBe(202);
    const replay = await send(d);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ duplicate: true, message: expect.stringMatching(/already received/) });
    expect(jobs()).toHaveLength(1);
    expect(deliveries().map((r) => r.id)).toEqual([d.id]);
  });

  it('a replay after the job ran queues nothing either (coalescing alone would queue again)', async () => {
    const d = delivery('https://github.com/bob/aoc.git');
    expect((await send(d)).status).toBe(202);
    const job = jobs().find((j) => j.participant === 'bob')!;
    withDb(base, (db) => finishJob(db, job.id, 'done', null));
    const before = jobs().length;
    const replays = await Promise.all(Array.from({ length: 5 }, () => send(d)));
    expect(replays.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(jobs()).toHaveLength(before);
    expect(jobs().filter((j) => j.status === 'queued' && j.participant === 'bob')).toEqual([]);
  });

  it('a new delivery id with the same body is a new push: accepted', async () => {
    const d = delivery('https://github.com/bob/aoc.git');
    expect((await send({ ...d, headers: { ...d.headers, 'x-github-delivery': randomUUID() } })).status).toBe(202);
    expect(jobs().filter((j) => j.status === 'queued' && j.participant === 'bob')).toHaveLength(1);
  });

  it('is refused without a delivery id (400), unsigned (401) or with a bad signature (401), queuing nothing', async () => {
    const before = jobs().length;
    const d = delivery('https://github.com/alice/aoc.git');
    const { 'x-github-delivery': _, ...noId } = d.headers;
    expect((await send({ ...d, headers: noId })).status).toBe(400);
    expect((await send({ ...d, headers: { ...d.headers, 'x-github-delivery': 'x'.repeat(65) } })).status).toBe(400);
    const { 'x-hub-signature-256': __, ...unsigned } = d.headers;
    expect((await send({ ...d, headers: unsigned })).status).toBe(401);
    expect((await send({ ...d, headers: { ...d.headers, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` } })).status).toBe(401);
    expect(jobs()).toHaveLength(before);
    // Only deliveries acted on are remembered: this id can still be delivered for real.
    expect(deliveries().map((r) => r.id)).not.toContain(d.id);
    expect((await send(d)).status).toBe(202);
  });

  it('a delivery older than the window is refused by its push time; ids past the window are pruned', async () => {
    const before = jobs().length;
    const old = delivery('https://github.com/alice/aoc.git', randomUUID(), { pushed_at: Math.floor((Date.now() - DELIVERY_WINDOW_MS - 60_000) / 1000) });
    const r = await send(old);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ignored: expect.stringMatching(/replay window/) });
    expect(jobs()).toHaveLength(before);
    withDb(base, (db) => db.$client.prepare('insert into webhook_deliveries (id, received_at) values (?, ?)').run('ancient', Date.now() - DELIVERY_WINDOW_MS - 1));
    expect((await send(delivery('https://github.com/alice/aoc.git'))).status).toBe(202);
    expect(deliveries().map((r) => r.id)).not.toContain('ancient');
  });

  it('a delivery whose jobs could not be queued is not remembered: its redelivery is acted on', () => {
    const id = randomUUID();
    withDb(base, (db) => {
      const before = listJobs(db).length;
      expect(() => actOnce(db, id, () => [enqueueJob(db, { kind: 'bench', participant: 'alice', day: 7, requestedBy: 'webhook' }), (() => { throw new Error('disk full'); })()])).toThrow('disk full');
      // Both the id and the job queued before the failure are rolled back.
      expect(listJobs(db)).toHaveLength(before);
      expect(actOnce(db, id, () => enqueueJob(db, { kind: 'bench', participant: 'alice', day: 7, requestedBy: 'webhook' }))).not.toBeNull();
      expect(actOnce(db, id, () => enqueueJob(db, { kind: 'bench', participant: 'alice', day: 7, requestedBy: 'webhook' }))).toBeNull();
      expect(listJobs(db)).toHaveLength(before + 1);
    });
  });
});
