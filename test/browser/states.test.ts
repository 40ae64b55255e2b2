import { describe, expect, it } from 'vitest';
import { setHealth } from '../../db/queries/health.ts';
import { openPage } from '../helpers/browser.ts';
import { withDb } from '../helpers/instance.ts';
import { seededSite } from '../helpers/web-server.ts';

/** WIP days and undecryptable inputs, as the runner records them, on the leaderboard and the health page. */
describe('work in progress and decryption states in a browser', () => {
  const site = seededSite((inst) =>
    withDb(inst.dir, (db) => {
      setHealth(db, inst.ids['Grace Hopper'], 3, 'day', 'warning', 'Work in progress (.wip or .nobench): not benchmarked; earlier results stay as history.', JSON.stringify({ exists: true, wip: true }), true);
      setHealth(db, inst.ids['Alan Turing'], 0, 'decrypt', 'error', "cannot decrypt 2 file(s): wrong password or cipher; this participant's inputs are left out of shared inputs and the matrix.");
    }),
  );

  it('the leaderboard shows a WIP day instead of its time, without a medal, and marks undecrypted inputs', async () => {
    const page = await openPage(site.browser, site.server.url);
    const cell = page.locator(`[data-testid=day-3] td[data-p="${site.inst.ids['Grace Hopper']}"]`);
    expect((await cell.textContent())?.trim()).toBe('WIP');
    expect(await cell.getAttribute('class')).toMatch(/wip/);
    // Grace's 200 ms was silver on day 3; with it out of the podium, Ada's 100 ms follows Edsger's 50 ms.
    expect(await page.locator(`[data-testid=day-3] td[data-p="${site.inst.ids['Ada Lovelace']}"]`).getAttribute('class')).toMatch(/silver/);
    expect(await page.getByTestId(`col-${site.inst.ids['Alan Turing']}`).textContent()).toContain('inputs not decrypted');
    expect(await page.getByTestId(`col-${site.inst.ids['Ada Lovelace']}`).textContent()).not.toContain('inputs not decrypted');
    await page.close();
  });

  it('the health page shows both', async () => {
    const grace = await openPage(site.browser, `${site.server.url}/health/${encodeURIComponent('Grace Hopper')}`);
    expect(await grace.getByTestId('health-day-3').textContent()).toContain('Work in progress');
    await grace.close();
    const alan = await openPage(site.browser, `${site.server.url}/health/${encodeURIComponent('Alan Turing')}`);
    expect(await alan.getByTestId('health-decrypt').textContent()).toMatch(/not decrypted.*cannot decrypt 2 file\(s\): wrong password or cipher/);
    await alan.close();
  });
});
