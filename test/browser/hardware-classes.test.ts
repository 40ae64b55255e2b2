import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { SeedResult } from '../../db/seed.ts';
import { openPage } from '../helpers/browser.ts';
import { seededSite } from '../helpers/web-server.ts';

/** A result measured by a worker of `hardwareClass`; the median is exactly `ms`. */
const on = (hardwareClass: string, day: number, ms: number): SeedResult => ({
  day, status: 'correct', samples: [ms, ms * 1.08, ms * 0.95], env: { executor: 'docker', cpuModel: 'Seeded CPU', host: `${hardwareClass}-host`, hardwareClass },
});

/**
 * Ada is fastest on the `slow` hosts, Brian on the `fast` ones. `slow` has
 * more results (5 against 4), so only the configured class makes `fast` the default.
 */
const season = {
  year: 2025, days: 12,
  participants: [
    { name: 'Ada', language: 'rust', results: [on('slow', 1, 11.1), on('slow', 2, 12.3), on('slow', 3, 13.7)] },
    { name: 'Brian', language: 'go', results: [on('fast', 1, 21.9), on('fast', 2, 22.8), on('slow', 3, 57.5)] },
    { name: 'Cleo', language: 'c', results: [on('fast', 1, 33.3), on('slow', 2, 44.4), on('fast', 3, 66.6)] },
  ],
};

const firstColumn = (page: Page) => page.locator('thead th[data-testid^=col-]').first().textContent();
const gridText = async (page: Page) => (await page.getByTestId('leaderboard').textContent()) ?? '';

describe('several hardware classes', () => {
  const site = seededSite((inst) => {
    // The instance's own queue sends its jobs to `fast`; the web never talks to Redis (nor reads the result key), so none needs to run.
    const config = parse(readFileSync(inst.config, 'utf8')) as Record<string, unknown>;
    writeFileSync(inst.config, stringify({ ...config, queue: { url: 'redis://127.0.0.1:1', hardwareClass: 'fast', resultKeyEnv: 'AOCBENCH_RESULT_KEY' } }));
  }, season);
  const id = (name: string) => site.inst.ids[name];
  const medal = (page: Page, day: number, name: string) => page.locator(`[data-testid=day-${day}] td[data-p="${id(name)}"]`).getAttribute('class');

  it('the leaderboard shows the configured class only, with gold and first place within it, and says so', async () => {
    const page = await openPage(site.browser, site.server.url);
    expect(await firstColumn(page)).toContain('Brian');
    expect(await medal(page, 1, 'Brian')).toContain('gold');
    expect(await medal(page, 1, 'Cleo')).toContain('silver');
    const grid = await gridText(page);
    expect(grid).toContain('21.90 ms');
    // Ada's and Brian's `slow` times are not on this board.
    expect(grid).not.toContain('11.10 ms');
    expect(grid).not.toContain('57.50 ms');
    const notice = page.getByTestId('class-notice');
    expect(await notice.textContent()).toMatch(/Times compare only within one hardware class\. Showing class fast \(4 results\).*Also: slow \(5 results\)/);
    expect(await page.getByTestId('class-link-slow').getAttribute('href')).toBe('/?class=slow');
    // Within the class both results come from one environment: no mixed-environment notice.
    expect(await page.getByTestId('env-notice').count()).toBe(0);
    await page.close();
  });

  it('the link to `slow` shows that class, Ada first, and keeps the other settings', async () => {
    const page = await openPage(site.browser, `${site.server.url}/?unit=us&order=config`);
    await page.getByTestId('class-link-slow').click();
    await page.waitForURL(/[?&]class=slow/);
    expect(page.url()).toMatch(/unit=us/);
    await page.getByTestId('class-shown').filter({ hasText: 'slow' }).waitFor();
    expect(await page.getByTestId('class-link-fast').getAttribute('href')).toBe('/?unit=us&order=config');
    await page.close();

    const slow = await openPage(site.browser, `${site.server.url}/?class=slow`);
    expect(await firstColumn(slow)).toContain('Ada');
    expect(await medal(slow, 2, 'Ada')).toContain('gold');
    expect(await medal(slow, 3, 'Brian')).toContain('silver');
    expect(await gridText(slow)).not.toContain('21.90 ms');
    await slow.close();
  });

  it('rankings and day pages rank within the class', async () => {
    const rank1 = async (path: string) => {
      const page = await openPage(site.browser, `${site.server.url}${path}`);
      const first = await page.locator('[data-testid=ranking-1] tbody tr').first().textContent();
      const rows = await page.locator('[data-testid=ranking-1] tbody tr').count();
      await page.close();
      return { first, rows };
    };
    expect(await rank1('/rankings/1')).toMatchObject({ rows: 2 });
    expect((await rank1('/rankings/1')).first).toMatch(/^1 \(gold\)Brian/);
    expect(await rank1('/rankings/1?class=slow')).toMatchObject({ rows: 1 });
    expect((await rank1('/rankings?class=slow')).first).toMatch(/^1 \(gold\)Ada/);

    const day = await openPage(site.browser, `${site.server.url}/days/1`);
    const text = (await day.locator('main, body').first().textContent()) ?? '';
    expect(text).toContain('21.90 ms');
    expect(text).not.toContain('11.10 ms');
    expect(await day.getByTestId('class-notice').textContent()).toMatch(/Showing class fast \(2 results\).*slow \(1 result\)/);
    await day.close();
  });

  it('a participant page shows every result with its class; the JSON export keeps all, each with its class', async () => {
    const page = await openPage(site.browser, `${site.server.url}/participants/Brian`);
    expect(await page.getByTestId('result-class').allTextContents()).toEqual(['fast', 'fast', 'slow']);
    await page.close();
    const json = (await (await fetch(`${site.server.url}/api/results.json`)).json()) as { participants: Array<{ name: string; days: Record<string, { hardwareClass: string | null; medianMs: number }> }> };
    const ada = json.participants.find((p) => p.name === 'Ada')!;
    expect(ada.days['1']).toMatchObject({ hardwareClass: 'slow', medianMs: 11.1 });
  });
});

describe('one hardware class, or none', () => {
  // The standard seeded season: no queue, no class on any result.
  const site = seededSite();

  it('shows no class notice and every result', async () => {
    for (const path of ['/', '/rankings/1', '/days/1']) {
      const page = await openPage(site.browser, `${site.server.url}${path}`);
      expect(await page.getByTestId('class-notice').count(), path).toBe(0);
      await page.close();
    }
    const page = await openPage(site.browser, site.server.url);
    expect(await page.locator('[data-testid=day-1] td').allTextContents()).not.toContain('');
    await page.close();
  });
});
