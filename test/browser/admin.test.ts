import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listJobs } from '../../db/queries/jobs.ts';
import { listCustomInputs } from '../../db/queries/matrix.ts';
import { launchBrowser, openPage } from '../helpers/browser.ts';
import { tempDir } from '../helpers/git-repo.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';
import { startWebServer, type WebServer } from '../helpers/web-server.ts';

const PASSWORD = 'correct horse battery';
let base: string;
let server: WebServer;
let browser: Browser;

const jobs = () => withDb(base, listJobs);

beforeAll(async () => {
  base = tempDir();
  const config = writeInstance(base, { year: 2024, days: 25, participants: [{ name: 'alice', repo: 'https://github.com/a/b' }] });
  server = await startWebServer(config, { AOCBENCH_ADMIN_PASSWORD: PASSWORD });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('admin page', () => {
  it('refuses a wrong password', async () => {
    const page = await openPage(browser, `${server.url}/admin`);
    await page.fill('input[name=password]', 'nope');
    await Promise.all([page.waitForURL(/error=/), page.click('button[type=submit]')]);
    expect(await page.getByTestId('admin-error').textContent()).toContain('wrong password');
    expect(await page.getByTestId('queue-form').count()).toBe(0);
    await page.close();
  });

  it('signs in, queues a forced re-run of one participant and day, and cancels it', async () => {
    const page = await openPage(browser, `${server.url}/admin`);
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${server.url}/admin`), page.click('button[type=submit]')]);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'aocbench_admin');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await page.selectOption('select[name=participant]', 'alice');
    await page.fill('input[name=day]', '7');
    await page.check('input[name=force]');
    await Promise.all([page.waitForURL(/queued=/), page.click('[data-testid=queue-form] button[type=submit]')]);
    const [job] = jobs();
    expect(job).toMatchObject({ kind: 'bench', participant: 'alice', day: 7, force: true, status: 'queued', requestedBy: 'admin' });
    expect(await page.getByTestId(`job-${job.id}`).textContent()).toContain('queued');
    await Promise.all([page.waitForURL(`${server.url}/admin`), page.getByTestId(`job-${job.id}`).getByRole('button', { name: 'cancel' }).click()]);
    expect(jobs()[0].status).toBe('cancelled');
    await page.close();
  });

  it('every form post needs the session and its CSRF token', async () => {
    // As a browser on our own page sends them: with our Origin.
    const post = (path: string, fields: Record<string, string>, cookie?: string) =>
      fetch(`${server.url}${path}`, { method: 'POST', body: new URLSearchParams(fields), headers: { origin: server.url, ...(cookie ? { cookie } : {}) }, redirect: 'manual' });
    expect((await post('/api/admin/queue', { kind: 'bench' })).status).toBe(403);
    const login = await post('/api/admin/login', { password: PASSWORD });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    expect((await post('/api/admin/queue', { kind: 'bench' }, cookie)).status).toBe(403);
    expect((await post('/api/admin/queue', { kind: 'bench', csrf: 'forged' }, cookie)).status).toBe(403);
    const html = await (await fetch(`${server.url}/admin`, { headers: { cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1];
    const evil = await fetch(`${server.url}/api/admin/queue`, { method: 'POST', body: new URLSearchParams({ kind: 'bench', csrf }), headers: { cookie, origin: 'http://evil.example' }, redirect: 'manual' });
    expect(evil.status).toBe(403);
    const tampered = cookie.replace(/\.[^.]+$/, '.AAAA');
    expect((await post('/api/admin/queue', { kind: 'bench', csrf: 'x' }, tampered)).status).toBe(403);
    expect(jobs().filter((j) => j.status === 'queued')).toEqual([]);
    expect((await post('/api/admin/queue', { kind: 'bench', csrf }, cookie)).status).toBe(303);
    expect(jobs().filter((j) => j.status === 'queued')).toHaveLength(1);
  });

  it('a signed-in admin submits a custom input without a token; signed out, the form says how to submit', async () => {
    const out = await openPage(browser, `${server.url}/matrix/submit`);
    // No submission tokens and no admin token configured here: only the admin can submit, and the page says so.
    expect(await out.getByTestId('submit-who').textContent()).toMatch(/Only the admin can submit here: sign in/);
    expect(await out.locator('input[name=token]').count()).toBe(1);
    await out.close();
    const page = await openPage(browser, `${server.url}/admin`);
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${server.url}/admin`), page.click('button[type=submit]')]);
    await page.goto(`${server.url}/matrix/submit`);
    expect(await page.getByTestId('submit-who').textContent()).toMatch(/signed in as the admin/);
    expect(await page.locator('input[name=token]').count()).toBe(0);
    await page.fill('input[name=day]', '3');
    await page.fill('input[name=name]', 'all-zeros');
    await page.fill('textarea[name=input]', '0\n0\n0\n');
    await Promise.all([page.waitForURL(/submitted=/), page.click('form.submit-form button[type=submit]')]);
    expect(await page.getByTestId('submit-ok').textContent()).toContain('all-zeros');
    expect(await page.getByTestId('custom-3-all-zeros').count()).toBe(1);
    // The admin page lists it, hides it (out of the matrix), shows it again and deletes it.
    await page.goto(`${server.url}/admin`);
    const row = page.locator('[data-testid=custom-inputs] tbody tr', { hasText: 'all-zeros' });
    expect(await row.textContent()).toMatch(/\d+ bytes[\s\S]*in the matrix/);
    const id = (await row.getAttribute('data-testid'))!.replace('input-', '');
    await Promise.all([page.waitForURL(/#custom-inputs$/), page.click(`[data-testid=input-${id}-hide]`)]);
    expect(await page.getByTestId(`input-${id}`).textContent()).toMatch(/hidden/);
    expect(withDb(base, (db) => listCustomInputs(db).map((c) => c.name))).not.toContain('all-zeros');
    await Promise.all([page.waitForURL(/#custom-inputs$/), page.click(`[data-testid=input-${id}-show]`)]);
    expect(withDb(base, (db) => listCustomInputs(db).map((c) => c.name))).toContain('all-zeros');
    await Promise.all([page.waitForURL(/#custom-inputs$/), page.click(`[data-testid=input-${id}-delete]`)]);
    expect(await page.getByTestId(`input-${id}`).count()).toBe(0);
    expect(withDb(base, (db) => listCustomInputs(db, { includeHidden: true }).map((c) => c.name))).not.toContain('all-zeros');
    await page.close();
    // The session's form token is needed: a post without it (another site's form) is refused.
    const forged = await fetch(`${server.url}/api/inputs`, { method: 'POST', headers: { origin: server.url }, body: (() => {
      const f = new FormData();
      f.set('day', '3');
      f.set('name', 'forged');
      f.set('input', '1\n');
      return f;
    })() });
    expect(forged.status).toBe(401);
  });
});
