/**
 * Anonymous web users and custom-input submitters are untrusted: limits hold
 * before anything is buffered, credentials are checked before a body is read,
 * sign-ins are rate limited, sessions can end, and only our own pages may post.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listJobs } from '../../db/queries/jobs.ts';
import { sessionCookie } from '../../lib/session.ts';
import { tempDir } from '../helpers/git-repo.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';
import { startWebServer, type WebServer } from '../helpers/web-server.ts';

const PASSWORD = 'correct horse battery';
const ADMIN = 'admin-token-0123456789abcdef';
let base: string;
let config: string;
let server: WebServer;

const instanceConfig = (web: Record<string, unknown> = {}) => ({
  year: 2024, days: 25, customInputs: { maxKb: 64 }, webhooks: { githubSecret: 'webhook-secret-xyz' }, web,
  participants: [{ name: 'alice', repo: 'https://github.com/a/b' }],
});

/** Resident memory of the server and every process it started, in MB. */
function serverRssMb(pgid: number): number {
  let kb = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid) continue;
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // the process ended meanwhile
    }
  }
  return kb / 1024;
}

/**
 * A chunked upload (no Content-Length) of up to `totalMb`, written as fast as
 * the server takes it, until the server answers; resolves with the status.
 */
function streamUpload(path: string, headers: Record<string, string>, totalMb: number): Promise<{ status: number; sentMb: number }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, server.url);
    const chunk = Buffer.alloc(1 << 20, 'a');
    let sent = 0;
    let answered = false;
    const req = request(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } }, (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, sentMb: sent });
      req.destroy();
    });
    req.on('error', (e) => (answered ? undefined : reject(e)));
    const pump = () => {
      while (!answered && sent < totalMb) {
        sent++;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  ({ method: 'POST', body: new URLSearchParams(fields), headers: { origin: server.url, ...headers }, redirect: 'manual' }) as const;

async function signIn(password = PASSWORD, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/api/admin/login`, form({ password }, headers));
}

const cookieOf = (r: Response) => r.headers.get('set-cookie')!.split(';')[0];

async function csrfOf(cookie: string): Promise<string | null> {
  const html = await (await fetch(`${server.url}/admin`, { headers: { cookie } })).text();
  return /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? null;
}

beforeAll(async () => {
  base = tempDir();
  config = writeInstance(base, instanceConfig());
  server = await startWebServer(config, { AOCBENCH_ADMIN_PASSWORD: PASSWORD, AOCBENCH_ADMIN_TOKEN: ADMIN });
}, 60_000);

afterAll(async () => server?.stop());

describe('request bodies', () => {
  it('stops a chunked upload without Content-Length at the limit, without buffering it (413)', async () => {
    const before = serverRssMb(server.pid);
    const r = await streamUpload('/api/inputs', { 'content-type': 'application/x-www-form-urlencoded' }, 300);
    expect(r.status).toBe(413);
    expect(r.sentMb).toBeLessThan(300);
    expect(serverRssMb(server.pid) - before).toBeLessThan(100);
  });

  it('answers a wrong token before reading the body (401), however long the body would be', async () => {
    const r = await streamUpload('/api/inputs', { 'content-type': 'application/json', authorization: 'Bearer wrong-token-0123456789' }, 300);
    expect(r.status).toBe(401);
    expect(r.sentMb).toBeLessThan(300);
    const noToken = await fetch(`${server.url}/api/inputs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ day: 1, name: 'x', input: '1' }) });
    expect(noToken.status).toBe(401);
  });

  it('holds the limit on the admin API and the webhook too, and checks the webhook signature header first', async () => {
    expect((await streamUpload('/api/admin/runs', { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, 50)).status).toBe(413);
    expect((await streamUpload('/api/webhooks/github', { 'content-type': 'application/json' }, 50)).status).toBe(401);
    expect((await streamUpload('/api/webhooks/github', { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=00' }, 50)).status).toBe(413);
  });
});

describe('admin sign-in and sessions', () => {
  it('refuses a post whose Origin is null, missing or another site (403)', async () => {
    const cookie = cookieOf(await signIn());
    const csrf = (await csrfOf(cookie))!;
    for (const origin of ['null', 'http://evil.example', undefined]) {
      const r = await fetch(`${server.url}/api/admin/queue`, { method: 'POST', body: new URLSearchParams({ kind: 'bench', csrf }), headers: { cookie, ...(origin ? { origin } : {}) }, redirect: 'manual' });
      expect(r.status, String(origin)).toBe(403);
    }
    expect(withDb(base, listJobs)).toEqual([]);
  });

  it('ends a session on the server at sign-out: a copy of the cookie stops working', async () => {
    const cookie = cookieOf(await signIn());
    const csrf = (await csrfOf(cookie))!;
    const out = await fetch(`${server.url}/api/admin/logout`, form({ csrf }, { cookie }));
    expect(out.status).toBe(303);
    expect(await csrfOf(cookie)).toBeNull();
    expect((await fetch(`${server.url}/api/admin/queue`, form({ kind: 'bench', csrf }, { cookie }))).status).toBe(403);
  });

  it('refuses a cookie forged with a stolen session key: sessions exist only on the server', async () => {
    const key = readFileSync(join(base, 'data/session.key'), 'utf8').trim();
    const forged = `aocbench_admin=${sessionCookie(key, 'x'.repeat(43))}`;
    expect(await csrfOf(forged)).toBeNull();
  });

  it('marks the cookie Secure when the operator says the site is behind TLS', async () => {
    expect(cookieOf(await signIn()).length).toBeGreaterThan(0);
    expect((await signIn()).headers.get('set-cookie')).not.toMatch(/Secure/);
    await server.stop();
    config = writeInstance(base, instanceConfig({ trustProxy: true }));
    server = await startWebServer(config, { AOCBENCH_ADMIN_PASSWORD: PASSWORD, AOCBENCH_ADMIN_TOKEN: ADMIN });
    expect((await signIn(PASSWORD, { 'x-forwarded-proto': 'https' })).headers.get('set-cookie')).toMatch(/; Secure/);
    expect((await signIn(PASSWORD, { 'x-forwarded-proto': 'http' })).headers.get('set-cookie')).not.toMatch(/Secure/);
  });

  it('ends every session when the admin password changes', async () => {
    const cookie = cookieOf(await signIn());
    expect(await csrfOf(cookie)).not.toBeNull();
    await server.stop();
    server = await startWebServer(config, { AOCBENCH_ADMIN_PASSWORD: 'a brand new password', AOCBENCH_ADMIN_TOKEN: ADMIN });
    expect(await csrfOf(cookie)).toBeNull();
  });

  it('rate-limits wrong passwords per client (429 with Retry-After), even for the right one afterwards', async () => {
    const client = { 'x-forwarded-for': '203.0.113.7' };
    for (let i = 0; i < 5; i++) expect((await signIn(`guess ${i}`, client)).status).toBe(303);
    const limited = await signIn('a brand new password', client);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await signIn('a brand new password', { 'x-forwarded-for': '198.51.100.1' })).status).toBe(303);
  });

  it('holds an overall limit that changing the claimed client cannot dodge', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await signIn(`guess ${i}`, { 'x-forwarded-for': `192.0.2.${i}` })).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
  });
});
