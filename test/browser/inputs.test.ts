import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matrix } from '../../runner/cycle/matrix.ts';
import { launchBrowser, openPage } from '../helpers/browser.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { quietProgress, writeInstance } from '../helpers/instance.ts';
import { startWebServer, type WebServer } from '../helpers/web-server.ts';

const TOKEN = 'submit-token-0123456789';
const ADMIN = 'admin-token-0123456789abcdef';
const SUM = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';

let base: string;
let config: string;
let server: WebServer;
let browser: Browser;

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/inputs`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const auth = { authorization: `Bearer ${TOKEN}` };
const list = async () => (await (await fetch(`${server.url}/api/inputs`)).json()) as Array<{ id: number; name: string; status: string }>;

beforeAll(async () => {
  base = tempDir();
  const alice = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`, '1/sol.awk': SUM, '1/input.txt': '1\n2\n', '1/answers.txt': '3\n2\n' }, base);
  config = writeInstance(base, { year: 2024, days: 3, customInputs: { tokens: [TOKEN], maxKb: 1 }, participants: [{ name: 'alice', repo: alice.url }] });
  server = await startWebServer(config, { AOCBENCH_ADMIN_TOKEN: ADMIN });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(base, { recursive: true, force: true });
});

describe('POST /api/inputs', () => {
  const good = { day: 1, name: 'zeros', input: '0\n0\n0\n', part1: '0', part2: '3' };

  it('refuses without a valid token (401) and stores nothing', async () => {
    expect((await post(good)).status).toBe(401);
    expect((await post(good, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    expect(await list()).toEqual([]);
  });

  it('rejects bad submissions with a 4xx and a message, storing nothing', async () => {
    const cases: Array<[unknown, number, RegExp]> = [
      [{ ...good, day: 0 }, 400, /day must be/],
      [{ ...good, day: 4 }, 400, /from 1 to 3/],
      [{ ...good, name: '../etc' }, 400, /name must be/],
      [{ ...good, input: '  ' }, 400, /input is missing/],
      [{ ...good, input: '1\n'.repeat(600) }, 413, /limit is 1024/],
      [{ ...good, input: 'a\u0000b' }, 415, /UTF-8 text/],
      [{ ...good, part1: 'two\nlines' }, 400, /one line/],
    ];
    for (const [body, status, msg] of cases) {
      const r = await post(body, auth);
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(status);
      expect(((await r.json()) as { error: string }).error).toMatch(msg);
    }
    const bin = new FormData();
    for (const [k, v] of Object.entries({ day: '1', name: 'binary', token: TOKEN })) bin.set(k, v);
    bin.set('file', new Blob([new Uint8Array([0xff, 0xfe, 0x00, 0x41])]), 'x.bin');
    expect((await fetch(`${server.url}/api/inputs`, { method: 'POST', body: bin })).status).toBe(415);
    expect((await post('not json{', auth)).status).toBe(400);
    expect(await list()).toEqual([]);
  });

  it('accepts a good one (201, queued) and refuses the same name again (409)', async () => {
    const r = await post(good, auth);
    expect(r.status).toBe(201);
    expect(await r.json()).toMatchObject({ day: 1, name: 'zeros', status: 'queued' });
    expect((await post(good, auth)).status).toBe(409);
    expect((await list()).map((x) => `${x.name}:${x.status}`)).toEqual(['zeros:queued']);
  });

  it('only the admin hides and deletes', async () => {
    const [{ id }] = await list();
    const patch = (h: Record<string, string>) => fetch(`${server.url}/api/inputs/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', ...h }, body: '{"hidden":true}' });
    expect((await patch(auth)).status).toBe(401);
    expect((await patch({ authorization: `Bearer ${ADMIN}` })).status).toBe(200);
    expect(await list()).toEqual([]);
    const del = (h: Record<string, string>) => fetch(`${server.url}/api/inputs/${id}`, { method: 'DELETE', headers: h });
    expect((await del(auth)).status).toBe(401);
    expect((await del({ authorization: `Bearer ${ADMIN}` })).status).toBe(200);
    expect((await del({ authorization: `Bearer ${ADMIN}` })).status).toBe(404);
  });
});

describe('submitting from the web page', () => {
  it('submit, see it queued, run the matrix, see its row with verdicts', async () => {
    const page = await openPage(browser, `${server.url}/matrix/submit`);
    await page.fill('input[name=day]', '1');
    await page.fill('input[name=name]', 'tricky');
    await page.fill('textarea[name=input]', '5\n5\n');
    await page.fill('input[name=part1]', '10');
    await page.fill('input[name=part2]', '2');
    await page.fill('input[name=token]', TOKEN);
    await Promise.all([page.waitForURL(/submitted=tricky/), page.click('button[type=submit]')]);
    expect(await page.getByTestId('submit-ok').textContent()).toContain('tricky');
    expect(await page.getByTestId('custom-1-tricky').textContent()).toContain('queued');

    const s = await matrix({ config, progress: quietProgress() });
    expect(s.cells.map((c) => `${c.input}:${c.status}`).sort()).toEqual(['alice:correct', 'custom:tricky:correct']);

    await page.goto(`${server.url}/matrix/1`);
    const row = page.getByTestId('matrix-input-custom:tricky');
    expect(await row.textContent()).toContain('custom: tricky');
    expect(await row.locator('td[data-status]').first().getAttribute('data-status')).toBe('correct');
    await page.goto(`${server.url}/matrix/submit`);
    expect(await page.getByTestId('custom-1-tricky').textContent()).toContain('in the matrix');
    await page.close();
  });
});
