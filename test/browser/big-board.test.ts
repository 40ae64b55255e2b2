/**
 * A board of 100 participants × 25 days (seeded with `syntheticSeason`, as
 * `aocbench seed` does) on a laptop and a phone: ordered by standing, header
 * row and day column in view while scrolling, a participant found by name,
 * and a phone layout that does not scroll sideways.
 */
import { describe, expect, it } from 'vitest';
import { syntheticSeason } from '../../db/seed.ts';
import { seededSite } from '../helpers/web-server.ts';

const site = seededSite(undefined, { participants: syntheticSeason({ participants: 100, days: 25, history: 1 }), year: 2024, days: 25 });

const open = async (path: string, viewport: { width: number; height: number }) => {
  const page = await site.browser.newPage({ viewport });
  page.setDefaultTimeout(15_000);
  await page.goto(`${site.server.url}${path}`);
  return page;
};
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

describe('a big board', () => {
  it('orders the columns by standing: points never rise to the right, page after page', async () => {
    const page = await open('/', LAPTOP);
    const points = (await page.locator('[data-testid=points] td').allTextContents()).map(Number);
    // A window of the board, never all of it: 25 of the 100, and links to the rest.
    expect(points).toHaveLength(25);
    expect(points.every((p, i) => i === 0 || p <= points[i - 1])).toBe(true);
    expect(await page.getByTestId('pager').textContent()).toMatch(/Participants 1–25 of 100/);
    const next = await open('/?page=2', LAPTOP);
    const more = (await next.locator('[data-testid=points] td').allTextContents()).map(Number);
    expect(more).toHaveLength(25);
    expect(more[0]).toBeLessThanOrEqual(points[24]);
    // Places are the whole board's: page 2 starts at 26.
    expect((await next.locator('[data-testid=standings] li .place').first().textContent())?.trim()).toBe('26');
    await next.close();
    const config = await open('/?order=config', LAPTOP);
    expect((await config.locator('thead th[data-testid^=col-]').first().textContent())?.startsWith('Participant 001')).toBe(true);
    await page.close();
    await config.close();
  });

  it('keeps the header row and the day column in view while the board scrolls', async () => {
    const page = await open('/', LAPTOP);
    const board = page.locator('.board');
    await board.evaluate((b) => b.scrollTo(3000, 600));
    const boardBox = (await board.boundingBox())!;
    const head = (await page.locator('thead th[data-testid^=col-]').nth(20).boundingBox())!;
    const day = (await page.locator('[data-testid=day-20] th.day').boundingBox())!;
    expect(Math.abs(head.y - boardBox.y)).toBeLessThan(2);
    expect(Math.abs(day.x - boardBox.x)).toBeLessThan(2);
    await page.close();
  });

  it('shows the window around a chosen participant, marked, with their place on the whole board', async () => {
    const page = await open('/?around=Participant%20077', LAPTOP);
    const here = page.locator('[data-testid=standings] li[aria-current=true]');
    expect(await here.textContent()).toMatch(/Participant 077/);
    const place = Number((await here.locator('.place').textContent())?.trim());
    const pageNo = Math.floor((place - 1) / 25) + 1;
    expect(await page.getByTestId('pager').locator('strong').textContent()).toBe(String(pageNo));
    expect(await page.locator('thead th[data-testid^=col-]').count()).toBeLessThanOrEqual(25);
    await page.close();
  });

  it('finds a participant by name', async () => {
    const page = await open('/?q=participant 042', LAPTOP);
    expect(await page.locator('thead th[data-testid^=col-]').allTextContents()).toEqual([expect.stringContaining('Participant 042')]);
    await page.fill('[data-testid=find]', '07');
    await Promise.all([page.waitForURL(/q=07/), page.press('[data-testid=find]', 'Enter')]);
    expect(await page.locator('thead th[data-testid^=col-]').count()).toBe(11); // 007 and 070 to 079
    await page.close();
  });

  it('the find box lists matches as one types, best placed first, without a page render; a match opens the board around it', async () => {
    const page = await open('/', LAPTOP);
    await page.fill('[data-testid=find]', 'participant 04');
    const matches = page.getByTestId('find-matches').locator('li a');
    await expect.poll(() => matches.count()).toBe(10); // 040 to 049
    const places = (await matches.locator('.place').allTextContents()).map(Number);
    expect(places).toEqual([...places].sort((a, b) => a - b));
    const name = (await matches.first().textContent())!.replace(/^\s*\d+\s*/, '').trim();
    await Promise.all([page.waitForURL(/around=/), matches.first().click()]);
    expect(decodeURIComponent(page.url())).toContain(`around=${name}`);
    expect((await page.locator('[data-testid=standings] li.here .place').textContent())?.trim()).toBe(String(places[0]));
    // The same answer as JSON, capped, with no real names under ?anon.
    const json = (q: string) => fetch(`${site.server.url}/api/search?q=${encodeURIComponent(q)}`).then((r) => r.json() as Promise<Array<{ name: string; place: number }>>);
    expect((await json('participant')).length).toBe(20);
    expect(await fetch(`${site.server.url}/api/search?q=Participant%20042&anon`).then((r) => r.json())).toEqual([]);
    expect((await fetch(`${site.server.url}/api/search?q=Participant%2042&anon`).then((r) => r.json()))[0].name).toBe('Participant 42');
    await page.close();
  });

  it('on a phone: the standings as a list and a page per day, and nothing scrolls sideways', async () => {
    const page = await open('/', PHONE);
    expect(await page.getByTestId('standings').isVisible()).toBe(true);
    expect(await page.locator('.board-wide').isVisible()).toBe(false);
    expect(await page.locator('[data-testid=standings] li').count()).toBe(25);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    const day = await open('/days/3', PHONE);
    expect(await day.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.close();
    await day.close();
  });
});
