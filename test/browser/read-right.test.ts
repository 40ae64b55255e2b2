import { describe, expect, it } from 'vitest';
import { setHealth } from '../../db/queries/health.ts';
import { recordImage } from '../../db/queries/participants.ts';
import { openPage } from '../helpers/browser.ts';
import { withDb } from '../helpers/instance.ts';
import { seededSite } from '../helpers/web-server.ts';

/**
 * Issue 21's "read right", first points: every page's title names it; a
 * participant with no time shows no runtime (not `0.00 ms*`, which reads as
 * a win); the participant page's health is the health page's.
 */
describe('pages that read right', () => {
  const site = seededSite((inst) =>
    withDb(inst.dir, (db) => {
      // Ada's image stopped building, and nothing of hers ever ran.
      const ada = inst.ids['Ada Lovelace'];
      db.$client.prepare('DELETE FROM day_results WHERE participant_id = ?').run(ada);
      db.$client.prepare('DELETE FROM day_history WHERE participant_id = ?').run(ada);
      recordImage(db, ada, { ok: false, kind: 'dockerfile', ref: 'aocbench-ada:1', imageId: null, built: true, log: 'The command returned a non-zero code: 1\n' });
      setHealth(db, ada, 0, 'image', 'error', 'Image aocbench-ada:1 is not usable.', 'The command returned a non-zero code: 1\n');
      // A code version as the runner writes it: its hashes are 16 characters.
      db.$client.prepare("UPDATE day_results SET version = 'src:0123456789abcdef:fedcba9876543210' WHERE participant_id = ? AND day = 1").run(inst.ids['Grace Hopper']);
      // A wrong day with the checker's reason.
      db.$client.prepare(`UPDATE day_results SET status = 'wrong', message = 'wrong answer: expected part 1 "42" not found in the output' WHERE participant_id = ? AND day = 2`).run(inst.ids['Grace Hopper']);
    }),
  );

  it('every page has a title of its own that names it, and the board', async () => {
    const paths: Array<[string, RegExp]> = [
      ['/', /^Leaderboard · aocbench 2025$/],
      ['/rankings', /^Rankings · aocbench 2025$/],
      ['/rankings/2', /^Day 2 rankings · aocbench 2025$/],
      ['/days/3', /^Day 3 · aocbench 2025$/],
      ['/matrix', /^Input matrix · aocbench 2025$/],
      ['/health', /^Health · aocbench 2025$/],
      [`/health/${encodeURIComponent('Grace Hopper')}`, /^Health of Grace Hopper · aocbench 2025$/],
      [`/participants/${encodeURIComponent('Grace Hopper')}`, /^Grace Hopper · aocbench 2025$/],
      [`/participants/${encodeURIComponent('Grace Hopper')}?anon`, /^A participant · aocbench 2025$/],
      ['/hardware', /^Hardware · aocbench 2025$/],
      ['/admin', /^Admin · aocbench 2025$/],
    ];
    const titles: string[] = [];
    for (const [path, want] of paths) {
      const page = await openPage(site.browser, `${site.server.url}${path}`);
      const t = await page.title();
      expect(t, path).toMatch(want);
      titles.push(t);
      await page.close();
    }
    expect(new Set(titles).size).toBe(titles.length);
  });

  it('a participant with no time shows no runtime, on a laptop and on a phone; the others show theirs', async () => {
    const ids = site.inst.ids;
    const wide = await openPage(site.browser, `${site.server.url}/?order=config`, 1440);
    const heads = await wide.locator('[data-testid=leaderboard] thead th[data-testid^=col-]').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-testid')));
    const column = (name: string) => heads.indexOf(`col-${ids[name]}`);
    const cellOf = (name: string) => wide.getByTestId('runtime').locator('td').nth(column(name));
    expect(column('Ada Lovelace')).toBeGreaterThanOrEqual(0);
    expect((await cellOf('Ada Lovelace').textContent())?.trim()).toBe('—');
    expect((await cellOf('Grace Hopper').textContent())?.trim()).toMatch(/^\d+(\.\d+)? (ms|s|µs)\*?$/);
    // The legend explains every mark the board uses: the tie's =, the medal colours, and the —.
    const legend = await wide.getByTestId('legend-tie').locator('..').textContent();
    expect(legend).toMatch(/= after a time: tied/);
    expect(legend).toMatch(/gold, silver and bronze/);
    expect(legend).toMatch(/— as a runtime/);
    await wide.close();
    const phone = await openPage(site.browser, `${site.server.url}/`, 390);
    expect((await phone.getByTestId(`standing-${ids['Ada Lovelace']}`).locator('.time').textContent())?.trim()).toBe('—');
    expect((await phone.getByTestId(`standing-${ids['Grace Hopper']}`).locator('.time').textContent())?.trim()).not.toBe('—');
    await phone.close();
  });

  it("the participant page's health is the health page's", async () => {
    for (const name of ['Ada Lovelace', 'Grace Hopper']) {
      const health = await openPage(site.browser, `${site.server.url}/health/${encodeURIComponent(name)}`);
      const level = (await health.locator('section h2 .badge').first().textContent())?.trim();
      await health.close();
      const page = await openPage(site.browser, `${site.server.url}/participants/${encodeURIComponent(name)}`);
      expect((await page.getByTestId('participant-health').textContent())?.trim(), name).toBe(level);
      await page.close();
    }
    const ada = await openPage(site.browser, `${site.server.url}/participants/${encodeURIComponent('Ada Lovelace')}`);
    expect((await ada.getByTestId('participant-health').textContent())?.trim()).toBe('error');
    await ada.close();
  });

  it('a code version shows its hashes cut to 7 characters, the whole one on hover', async () => {
    const page = await openPage(site.browser, `${site.server.url}/participants/${encodeURIComponent('Grace Hopper')}`);
    const v = page.getByTestId('participant-day-1').getByTestId('code-version').first();
    expect((await v.textContent())?.trim()).toBe('src:0123456:fedcba9');
    expect(await v.getAttribute('title')).toBe('src:0123456789abcdef:fedcba9876543210');
    await page.close();
  });

  it('the grid works from the keyboard: one cell in the tab order, arrows move, a focused cell shows its details', async () => {
    const page = await openPage(site.browser, `${site.server.url}/?order=config`, 1440);
    const inTabOrder = page.locator('[data-testid=leaderboard] td[tabindex="0"]');
    await expect.poll(() => inTabOrder.count()).toBe(1);
    // Tab from the page's last control before the grid reaches the cell; here: focus it as Tab would.
    await inTabOrder.focus();
    const details = page.getByTestId('cell-details');
    await details.waitFor();
    const first = await details.locator('strong').textContent();
    expect(first).toMatch(/, day 1$/);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => details.locator('strong').textContent()).toMatch(/, day 2$/);
    expect(await page.locator('[data-testid=leaderboard] td[tabindex="0"]').count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-day'))).toBe('2');
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });
    await page.close();
  });

  it('text, muted text and the marks on medal cells have a contrast of at least 4.5:1 against what is behind them', async () => {
    const low: string[] = [];
    for (const path of ['/', '/rankings/1', '/health', `/health/${encodeURIComponent('Ada Lovelace')}`, `/participants/${encodeURIComponent('Grace Hopper')}`, '/hardware']) {
      const page = await openPage(site.browser, `${site.server.url}${path}`, 1440);
      const found = await page.evaluate(() => {
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
        const lum = ([r, g, b]: number[]) => {
          const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        const behind = (el: Element | null): number[] => {
          for (let e = el; e; e = e.parentElement) {
            const c = rgb(getComputedStyle(e).backgroundColor);
            if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
          }
          return [255, 255, 255];
        };
        const ratio = (fg: number[], bg: number[]) => {
          const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
          return (a + 0.05) / (b + 0.05);
        };
        const out: string[] = [];
        const check = (el: Element, pseudo: string | null, what: string) => {
          const st = getComputedStyle(el, pseudo);
          if (st.display === 'none' || st.visibility === 'hidden' || (pseudo && (st.content === 'none' || st.content === 'normal'))) return;
          if (el.closest('.sr')) return;
          const big = parseFloat(st.fontSize) >= 24 || (parseFloat(st.fontSize) >= 18.66 && Number(st.fontWeight) >= 700);
          const r = ratio(rgb(st.color), behind(el));
          if (r < (big ? 3 : 4.5)) out.push(`${what} ${r.toFixed(2)}:1 (${st.color} on ${behind(el).join(',')})`);
        };
        for (const el of Array.from(document.querySelectorAll('main *, footer *, footer'))) {
          const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim());
          if (own) check(el, null, `${el.tagName.toLowerCase()}.${el.className} "${el.textContent!.trim().slice(0, 20)}"`);
        }
        for (const td of Array.from(document.querySelectorAll('td.tie, td.h'))) {
          check(td, td.classList.contains('tie') ? '::after' : '::before', `td.${td.className} mark`);
        }
        return out;
      });
      low.push(...found.map((f) => `${path}: ${f}`));
      await page.close();
    }
    expect(low).toEqual([]);
  });

  it('on a phone the health and participant pages do not scroll sideways', async () => {
    const wide: string[] = [];
    for (const path of [`/health/${encodeURIComponent('Ada Lovelace')}`, `/health/${encodeURIComponent('Grace Hopper')}`, `/participants/${encodeURIComponent('Grace Hopper')}`, '/health']) {
      const page = await openPage(site.browser, `${site.server.url}${path}`, 390);
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      if (w > 390) wide.push(`${path}: ${w} px`);
      await page.close();
    }
    expect(wide).toEqual([]);
  });

  it("a participant's page says where they stand: rank as on the board, points, runtime, each day's place, and why a day failed", async () => {
    const grace = site.inst.ids['Grace Hopper'];
    const board = await openPage(site.browser, `${site.server.url}/`, 390);
    const rank = (await board.getByTestId(`standing-${grace}`).locator('.place').textContent())?.trim();
    const pts = (await board.getByTestId(`standing-${grace}`).locator('.pts').textContent())?.trim();
    await board.close();
    const page = await openPage(site.browser, `${site.server.url}/participants/${encodeURIComponent('Grace Hopper')}`);
    const summary = (await page.getByTestId('participant-summary').textContent()) ?? '';
    expect(summary).toMatch(new RegExp(`^Rank ${rank} of \\d+ · ${pts?.replace(' pts', '')} points · runtime `));
    expect(await page.getByTestId('participant-day-1').getByTestId('day-place').textContent()).toMatch(/place \d+=? of \d+/);
    // Day 3: Edsger first in 50 ms, Grace second in 200 ms.
    expect(await page.getByTestId('participant-day-3').getByTestId('day-place').textContent()).toMatch(/place 2 of 4 · \+150\.0+ ms from first/);
    const reason = page.getByTestId('participant-day-2').getByTestId('day-reason');
    expect(await reason.textContent()).toContain('wrong answer: expected part 1 "42" not found in the output');
    expect(await reason.locator('a').getAttribute('href')).toBe(`/health/${encodeURIComponent('Grace Hopper')}`);
    expect(await page.getByTestId('participant-day-2').getByTestId('day-place').count()).toBe(0);
    await page.close();
  });
});
