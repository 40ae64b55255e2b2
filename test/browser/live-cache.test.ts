/**
 * `aocbench web`: whole pages served from a cache that a new result empties
 * (and heartbeats and progress lines do not), each view option kept apart,
 * admin and forms never cached, and an open page that shows a new result by
 * itself (server-sent events).
 */
import Database from 'better-sqlite3';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, waitForText } from '../helpers/browser.ts';
import { seededSite } from '../helpers/web-server.ts';

const site = seededSite();
let sql: Database.Database;
beforeAll(() => {
  sql = new Database(join(site.inst.dir, 'data', 'aocbench.db'));
});
afterAll(() => sql?.close());

const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${site.server.url}${path}`, { headers, redirect: 'manual' });
  return { cache: res.headers.get('x-aocbench-cache'), status: res.status, body: await res.text() };
};
/** Ada's day-3 median is 100 ms; this stores a new result for it, as the runner would, from another connection. */
const newAdaDay3 = (ms: number) =>
  sql.prepare('update day_results set median_ms = ?, min_ms = ?, max_ms = ?, run_at = run_at + 1 where day = 3 and participant_id = ?').run(ms, ms, ms, site.inst.ids['Ada Lovelace']);
const ada3 = (page: Page) => page.locator(`[data-testid=day-3] td[data-p="${site.inst.ids['Ada Lovelace']}"]`);

describe('the page cache', () => {
  it('serves the second view of a page from the cache, and each view option as its own page', async () => {
    await get('/');
    const again = await get('/');
    expect(again.cache).toBe('hit');
    const min = await get('/?method=min&unit=us');
    expect(min.cache).toBe('miss');
    expect(min.body.includes('11,250 µs')).toBe(true); // Ada's day-1 minimum, in µs
    // Same options in another order: the same page.
    expect((await get('/?unit=us&method=min')).cache).toBe('hit');
    expect((await get('/')).body.includes('11,250 µs')).toBe(false);
  });

  it('shows a new result on the next view; heartbeats and progress lines keep the cache', async () => {
    sql.prepare("insert into runners (id, kind, started_at, seen_at) values ('host:1', 'daemon', 1, ?)").run(Date.now());
    sql.prepare("insert into jobs (kind, status, requested_by, created_at, force) values ('bench', 'running', 'test', 1, 0)").run();
    await get('/rankings');
    expect((await get('/rankings')).cache).toBe('hit');
    sql.prepare("insert into health (participant_id, day, topic, level, message, at) values (?, 0, 'repo', 'ok', 'Repository updated.', 1) on conflict (participant_id, day, topic) do update set level = 'ok', message = 'Repository updated (test).'").run(site.inst.ids['Ada Lovelace']);
    await get('/rankings');
    // A heartbeat, a progress line and a health check that found the same as before: the pages show the same.
    sql.prepare("update runners set seen_at = ? where id = 'host:1'").run(Date.now() + 1);
    sql.prepare("update health set at = at + 1 where topic = 'repo'").run();
    sql.prepare("update jobs set progress = 'day 3 of 5' where requested_by = 'test'").run();
    expect((await get('/rankings')).cache).toBe('hit');
    sql.prepare("update jobs set status = 'done' where requested_by = 'test'").run();
    expect((await get('/rankings')).cache).toBe('miss');

    const before = await get('/');
    expect(before.body.includes('100.00 ms')).toBe(true);
    newAdaDay3(77);
    const after = await get('/');
    expect(after.cache).toBe('miss');
    expect(after.body.includes('77.00 ms')).toBe(true);
    expect(after.body.includes('100.00 ms')).toBe(false);
    expect((await get('/api/results.json')).body.includes('"medianMs":77')).toBe(true);
  });

  it('never caches admin pages, forms, the log or a HEAD', async () => {
    for (const path of ['/admin', '/matrix/submit', '/log', '/api/status']) {
      await get(path);
      expect((await get(path)).cache, path).toBeNull();
    }
    const head = await fetch(`${site.server.url}/days/2`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    // A HEAD stores nothing: the next GET still has a body.
    expect((await get('/days/2')).body.length).toBeGreaterThan(1000);
  });

  it('sends the cached page compressed to clients that accept gzip', async () => {
    await get('/hardware');
    const res = await new Promise<{ enc: string | undefined; cache: string | string[] | undefined }>((resolve, reject) => {
      request(`${site.server.url}/hardware`, { headers: { 'accept-encoding': 'gzip' } }, (r) => {
        r.resume();
        resolve({ enc: r.headers['content-encoding'], cache: r.headers['x-aocbench-cache'] });
      }).on('error', reject).end();
    });
    expect(res).toEqual({ enc: 'gzip', cache: 'hit' });
  });
});

describe('live updates', () => {
  it('pushes the new content version to /api/events listeners when a result lands', async () => {
    const ctl = new AbortController();
    const res = await fetch(`${site.server.url}/api/events`, { signal: ctl.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const versions: string[] = [];
    let buf = '';
    const next = async () => {
      for (;;) {
        const frames = buf.split('\n\n');
        buf = frames.pop()!;
        for (const f of frames) if (f.startsWith('data: ')) versions.push((JSON.parse(f.slice(6)) as { version: string }).version);
        if (versions.length) return versions.shift()!;
        const { value } = await reader.read();
        buf += new TextDecoder().decode(value);
      }
    };
    const first = await next();
    const t = Date.now();
    newAdaDay3(66);
    const second = await next();
    expect(Number(second)).toBeGreaterThan(Number(first));
    expect(Date.now() - t).toBeLessThan(1000);
    ctl.abort();
  });

  it('renders the leaderboard again when results change, before anyone asks, while it is being looked at', async () => {
    await get('/');
    newAdaDay3(44);
    // Nobody asks for a few seconds; then the first reader finds the new board already rendered.
    await new Promise((ok) => setTimeout(ok, 3500));
    const r = await get('/');
    expect(r.cache).toBe('hit');
    expect(r.body.includes('44.00 ms')).toBe(true);
    // The other pages that compute over the whole board were rendered after it.
    for (const path of ['/health', '/memory', '/rankings']) expect((await get(path)).cache, path).toBe('hit');
  });

  it('an open leaderboard shows a new result without a reload', async () => {
    const page = await openPage(site.browser, site.server.url);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    newAdaDay3(55);
    await waitForText(ada3(page), '55.00 ms', 5000);
    // The same document: nothing reloaded it.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    await page.close();
  });
});
