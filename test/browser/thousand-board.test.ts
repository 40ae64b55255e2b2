/**
 * A board of 1,000 participants × 25 days on a laptop (1440 px) and a phone
 * (390 px): every page small (≤ 300 KB), the rank of each participant shown
 * without scrolling sideways, the pages of a long list reachable.
 */
import { describe, expect, it } from 'vitest';
import { storeDefaultBoard } from '../../db/queries/board.ts';
import { syntheticSeason } from '../../db/seed.ts';
import { withDb } from '../helpers/instance.ts';
import { seededSite } from '../helpers/web-server.ts';

const site = seededSite(
  // As the runner does when a cycle that changed results ends.
  (inst) => withDb(inst.dir, (db) => storeDefaultBoard(db, { podium: true })),
  { participants: syntheticSeason({ participants: 1000, days: 25, history: 1 }), year: 2024, days: 25 },
);

const LAPTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const PAGES = ['/', '/?page=40', '/rankings', '/rankings/3', '/days/3', '/memory', '/health', '/participants/Participant%200500', '/health/Participant%200500'];

describe('a board of 1,000 participants', () => {
  it('every page is at most 300 KB', async () => {
    for (const path of PAGES) {
      const body = await (await fetch(site.server.url + path)).text();
      expect(Buffer.byteLength(body), path).toBeLessThanOrEqual(300 * 1024);
    }
  });

  for (const [device, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const) {
    it(`on a ${device}: the places of a page of the standings are in view without scrolling sideways, and nothing scrolls sideways`, async () => {
      const page = await site.browser.newPage({ viewport });
      page.setDefaultTimeout(15_000);
      for (const path of PAGES) {
        await page.goto(site.server.url + path);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `${device} ${path}`).toBeLessThanOrEqual(0);
      }
      await page.goto(`${site.server.url}/?page=40`);
      const places = page.locator('[data-testid=standings] li .place');
      expect(await places.count()).toBe(25);
      expect((await places.first().textContent())?.trim()).toBe('976');
      // Each place is drawn inside the window's width: readable without scrolling the page or the grid sideways.
      const boxes = await places.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()));
      for (const b of boxes) {
        expect(b.width).toBeGreaterThan(0);
        expect(b.right).toBeLessThanOrEqual(viewport.width);
      }
      expect(await page.getByTestId('pager').textContent()).toMatch(/976–1,?000 of 1,000/);
      await page.close();
    });
  }
});
