import { describe, expect, it } from 'vitest';
import { openPage } from '../helpers/browser.ts';
import { seededSite, WRONG } from '../helpers/web-server.ts';

describe('health pages in a browser', () => {
  const site = seededSite();



  it('a wrong day shows the check output and the expected answers', async () => {
    const page = await openPage(site.browser, `${site.server.url}/health/${encodeURIComponent('Edsger Dijkstra')}`);
    const row = page.getByTestId(`health-day-${WRONG.day}`);
    const output = page.getByTestId(`check-output-${WRONG.day}`);
    // The verdict is opened for failures, so the output is visible without a click.
    expect(await output.isVisible()).toBe(true);
    expect(await output.textContent()).toBe(WRONG.output);
    const rowText = await row.textContent();
    expect(rowText).toContain('wrong');
    expect(rowText).toContain(`Expected answers: part 1 ${WRONG.part1}, part 2 ${WRONG.part2}`);
    expect(await page.getByTestId('health-day-1').locator('.badge').first().textContent()).toBe('ok');
    await page.close();
  });

  it('?anon hides the real names on the health page too', async () => {
    const page = await openPage(site.browser, `${site.server.url}/health?anon`);
    const html = (await page.content()).toLowerCase();
    for (const n of ['ada lovelace', 'lovelace', 'edsger dijkstra', 'dijkstra', 'adalovelace']) expect(html).not.toContain(n);
    expect(await page.getByText('Participant 4', { exact: false }).count()).toBeGreaterThan(0);
    await page.close();
  });

  it('?bad lists the bad participant and leaves out a good one', async () => {
    const page = await openPage(site.browser, `${site.server.url}/health?bad`);
    const sections = await page.locator('section[data-testid^=health-]').evaluateAll((s) => s.map((x) => x.getAttribute('data-testid')));
    expect(sections).toEqual(['health-EdsgerDijkstra']);
    // Only the bad day is listed for it.
    expect(await page.locator('[data-testid^=health-day-]').evaluateAll((r) => r.map((x) => x.getAttribute('data-testid')))).toEqual([`health-day-${WRONG.day}`]);
    const all = await openPage(site.browser, `${site.server.url}/health`);
    expect(await all.getByTestId('health-AdaLovelace').count()).toBe(1);
    await Promise.all([page.close(), all.close()]);
  });
});
