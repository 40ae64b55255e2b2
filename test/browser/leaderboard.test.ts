import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, waitForText } from '../helpers/browser.ts';
import { NAMES, seededSite } from '../helpers/web-server.ts';

const COLOURS = { gold: 'rgb(255, 223, 50)', silver: 'rgb(208, 208, 208)', bronze: 'rgb(220, 166, 113)' };

describe('leaderboard in a browser', () => {
  const site = seededSite();
  const id = (name: string) => site.inst.ids[name];
  const cell = (page: Page, day: number, name: string) => page.locator(`[data-testid=day-${day}] td[data-p="${id(name)}"]`);
  const text = async (page: Page, day: number, name: string) => (await cell(page, day, name).textContent())?.trim();
  const medal = async (page: Page, day: number, name: string) =>
    ((await cell(page, day, name).getAttribute('class')) ?? '').split(' ').find((c) => c === 'gold' || c === 'silver' || c === 'bronze') ?? '';
  const background = (page: Page, day: number, name: string) => cell(page, day, name).evaluate((el) => getComputedStyle(el).backgroundColor);

  /** The Points row has no per-participant ids, so its cells are matched to the header order. */
  async function pointsRow(page: Page): Promise<Record<string, { points: string; medal: string | null }>> {
    const cols = await page.locator('thead th[data-testid^=col-]').evaluateAll((ths) => ths.map((th) => Number(th.getAttribute('data-testid')!.slice(4))));
    const cells = await page.locator('[data-testid=points] td').evaluateAll((tds) => tds.map((td) => ({ points: td.textContent!.trim(), medal: td.getAttribute('data-medal') })));
    expect(cells).toHaveLength(cols.length);
    return Object.fromEntries(NAMES.map((n) => [n, cells[cols.indexOf(id(n))]]));
  }



  it('renders the seeded medians in the right cells', async () => {
    const page = await openPage(site.browser, site.server.url);
    expect(await text(page, 1, 'Ada Lovelace')).toBe('12.50 ms');
    expect(await text(page, 1, 'Alan Turing')).toBe('20.00 ms');
    expect(await text(page, 3, 'Grace Hopper')).toBe('200.00 ms');
    expect(await text(page, 4, 'Ada Lovelace')).toBe('0.50 ms');
    expect(await text(page, 4, 'Alan Turing')).toBe('');
    await page.close();
  });

  it('hovering a cell shows min, max, the confidence interval, runs and the code link', async () => {
    const page = await openPage(site.browser, site.server.url);
    await cell(page, 1, 'Ada Lovelace').hover();
    const details = page.getByTestId('cell-details');
    await details.waitFor();
    const t = (await details.textContent()) ?? '';
    expect(t).toContain('Ada Lovelace, day 1');
    expect(t).toMatch(/min 11\.25 ms · max \d/);
    expect(t).toMatch(/median 95% CI/);
    expect(t).toMatch(/\d+ runs/);
    expect(await details.getByRole('link', { name: /code for this day/ }).getAttribute('href')).toMatch(/^https:\/\/github\.com\/.+\/1$/);
    await page.close();
  });

  it('clicking "Minimum" shows the seeded minimum and re-ranks the day', async () => {
    const page = await openPage(site.browser, site.server.url);
    await page.getByTestId('method-min').click();
    await page.waitForURL(/[?&]method=min/);
    await waitForText(cell(page, 1, 'Ada Lovelace'), '11.25 ms');
    // Grace's minimum is 12.5 × 0.95, so the median tie is broken.
    expect(await medal(page, 1, 'Ada Lovelace')).toBe('gold');
    expect(await medal(page, 1, 'Grace Hopper')).toBe('silver');
    await page.close();
  });

  it('podium medals, colours and points follow the AoCBench rules', async () => {
    const page = await openPage(site.browser, site.server.url);
    // Tied golds use up the silver slot.
    const day1 = await Promise.all(NAMES.map((n) => medal(page, 1, n)));
    expect(day1).toEqual(['gold', 'gold', 'bronze', '', '']);
    expect(await medal(page, 2, 'Grace Hopper')).toBe('gold');
    expect(await medal(page, 2, 'Alan Turing')).toBe('silver');
    expect(await medal(page, 2, 'Ada Lovelace')).toBe('bronze');

    expect(await background(page, 1, 'Ada Lovelace')).toBe(COLOURS.gold);
    expect(await background(page, 1, 'Grace Hopper')).toBe(COLOURS.gold);
    expect(await background(page, 2, 'Alan Turing')).toBe(COLOURS.silver);
    expect(await background(page, 1, 'Alan Turing')).toBe(COLOURS.bronze);
    // Not colour only: the medal in words, on hover and as the cell's name for a screen reader.
    expect(await cell(page, 2, 'Alan Turing').getAttribute('title')).toMatch(/^silver \(second\)/);
    expect(await cell(page, 1, 'Ada Lovelace').getAttribute('aria-label')).toBe('12.50 ms, gold, tied');
    expect(Object.values(COLOURS)).not.toContain(await background(page, 1, 'Barbara Liskov'));

    const points = await pointsRow(page);
    expect(points).toEqual({
      'Ada Lovelace': { points: '14', medal: 'silver' },
      'Grace Hopper': { points: '15', medal: 'gold' },
      // More points than Barbara, but day 4 is missing: no medal.
      'Alan Turing': { points: '10', medal: '' },
      // The wrong day scores 0 and leaves the row incomplete.
      'Edsger Dijkstra': { points: '7', medal: '' },
      'Barbara Liskov': { points: '8', medal: 'bronze' },
    });
    await page.close();
  });

  it('a failed day shows its verdict instead of a time', async () => {
    const page = await openPage(site.browser, site.server.url);
    expect(await text(page, 2, 'Edsger Dijkstra')).toBe('wrong');
    expect(await cell(page, 2, 'Edsger Dijkstra').getAttribute('class')).toContain('failed');
    expect(await cell(page, 2, 'Edsger Dijkstra').getAttribute('data-ms')).toBeNull();
    await page.close();
  });

  it('?anon hides every real name', async () => {
    const page = await openPage(site.browser, `${site.server.url}/?anon&order=config`);
    const html = (await page.content()).toLowerCase();
    // Surnames too, in any case: a repo URL or folder name would give a participant away as well.
    for (const name of NAMES) for (const part of [name, name.split(' ')[1]]) expect(html).not.toContain(part.toLowerCase());
    const heads = await page.locator('thead th[data-testid^=col-]').allTextContents();
    expect(heads.map((h) => h.match(/Participant \d+/)?.[0])).toEqual(NAMES.map((_, i) => `Participant ${i + 1}`));
    await page.close();
  });

  it('?lang filters the columns', async () => {
    const page = await openPage(site.browser, `${site.server.url}/?lang=python`);
    expect(await page.locator('thead th[data-testid^=col-]').count()).toBe(1);
    expect(await text(page, 1, 'Alan Turing')).toBe('20.00 ms');
    expect(await cell(page, 1, 'Ada Lovelace').count()).toBe(0);
    await page.close();
  });

  it('the unit switch to µs rescales the times', async () => {
    const page = await openPage(site.browser, site.server.url);
    await page.getByTestId('unit-us').click();
    await page.waitForURL(/[?&]unit=us/);
    await waitForText(cell(page, 1, 'Ada Lovelace'), '12,500 µs');
    expect(await text(page, 4, 'Ada Lovelace')).toBe('500 µs');
    await page.close();
  });

  // UPDATE_SCREENSHOT=1 refreshes docs/leaderboard.png; otherwise the shot goes to a temp dir.
  it('screenshot for the docs', async () => {
    const page = await openPage(site.browser, site.server.url, 1200);
    const docs = process.env.UPDATE_SCREENSHOT ? join(import.meta.dirname, '../../docs') : site.inst.dir;
    mkdirSync(docs, { recursive: true });
    const png = await page.screenshot({ path: join(docs, 'leaderboard.png'), fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    await page.close();
  });
});
