import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listJobs } from '../../db/queries/jobs.ts';
import { beat } from '../../db/queries/runners.ts';
import { tempDir } from '../helpers/git-repo.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';
import { startWebServer, type WebServer } from '../helpers/web-server.ts';

const ADMIN = 'admin-token-0123456789abcdef';
const SECRET = 'webhook-secret-xyz';
let base: string;
let server: WebServer;

const jobs = () => withDb(base, listJobs);
const runs = (body: unknown, token?: string) =>
  fetch(`${server.url}/api/admin/runs`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
const hook = (payload: unknown, secret = SECRET, event = 'push') => {
  const body = JSON.stringify(payload);
  const sig = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return fetch(`${server.url}/api/webhooks/github`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sig, 'x-github-event': event, 'x-github-delivery': randomUUID() }, body });
};

beforeAll(async () => {
  base = tempDir();
  const config = writeInstance(base, {
    year: 2024, days: 25, webhooks: { githubSecret: SECRET },
    participants: [{ name: 'alice', repo: 'https://github.com/Alice/aoc-2024.git' }, { name: 'bob', repo: 'git@github.com:bob/aoc.git' }],
  });
  server = await startWebServer(config, { AOCBENCH_ADMIN_TOKEN: ADMIN });
}, 60_000);

afterAll(async () => server?.stop());

describe('POST /api/admin/runs', () => {
  it('401 without the admin token', async () => {
    expect((await runs({})).status).toBe(401);
    expect((await runs({}, 'not-the-admin-token-xx')).status).toBe(401);
    expect(jobs()).toEqual([]);
  });

  it('400 with a message for an unknown participant, a day out of range or a bad kind', async () => {
    for (const [body, msg] of [
      [{ participant: 'carol' }, /unknown participant "carol"/],
      [{ participant: 'alice', day: 26 }, /from 1 to 25/],
      [{ day: 0 }, /from 1 to 25/],
      [{ kind: 'everything' }, /kind must be/],
      [{ force: 'yes' }, /force must be/],
    ] as const) {
      const r = await runs(body, ADMIN);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: string }).error).toMatch(msg);
    }
    expect(jobs()).toEqual([]);
  });

  it('202 with the job id, queued for the daemon', async () => {
    const r = await runs({ participant: 'alice', day: 3, force: true, kind: 'bench' }, ADMIN);
    expect(r.status).toBe(202);
    const { id } = (await r.json()) as { id: number };
    expect(jobs().find((j) => j.id === id)).toMatchObject({ kind: 'bench', participant: 'alice', day: 3, force: true, status: 'queued', requestedBy: 'api' });
  });

  it('every page shows the pending run, and that no runner is there to run it', async () => {
    const html = await (await fetch(`${server.url}/rankings`)).text();
    expect(html).toMatch(/1 run pending since/);
    expect(html).toMatch(/No runner has been seen yet: queued runs wait until .*aocbench daemon.* runs/);
    withDb(base, (db) => beat(db, { id: 'test:1', kind: 'daemon', startedAt: Date.now() }));
    const alive = await (await fetch(`${server.url}/rankings`)).text();
    expect(alive).toMatch(/1 run pending since/);
    expect(alive).not.toMatch(/No runner has been seen/);
    expect(((await (await fetch(`${server.url}/api/status`)).json()) as { runner: { kind: string; alive: boolean } }).runner).toMatchObject({ kind: 'daemon', alive: true });
  });
});

describe('POST /api/webhooks/github', () => {
  const push = (url: string) => ({ ref: 'refs/heads/main', repository: { clone_url: url, html_url: url.replace(/\.git$/, '') } });

  it('401 on a missing or wrong signature', async () => {
    const r = await fetch(`${server.url}/api/webhooks/github`, { method: 'POST', body: JSON.stringify(push('https://github.com/Alice/aoc-2024.git')) });
    expect(r.status).toBe(401);
    expect((await hook(push('https://github.com/Alice/aoc-2024.git'), 'wrong-secret')).status).toBe(401);
  });

  it('maps the pushed repository to its participant and queues an update', async () => {
    const before = jobs().length;
    const r = await hook(push('https://github.com/alice/aoc-2024.git'));
    expect(r.status).toBe(202);
    expect(await r.json()).toMatchObject({ participants: ['alice'] });
    const viaSsh = await hook({ repository: { ssh_url: 'git@github.com:bob/aoc.git', clone_url: 'https://github.com/bob/aoc.git' } });
    expect(((await viaSsh.json()) as { participants: string[] }).participants).toEqual(['bob']);
    expect(jobs().length).toBe(before + 2);
    expect(jobs()[0]).toMatchObject({ kind: 'cycle', participant: 'bob', requestedBy: 'webhook' });
  });

  it('answers a ping and refuses an unknown repository', async () => {
    expect((await hook({ zen: 'hi' }, SECRET, 'ping')).status).toBe(200);
    expect((await hook(push('https://github.com/someone/else.git'))).status).toBe(404);
  });
});
