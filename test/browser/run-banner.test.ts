/**
 * The live banner of a run in progress, as a reader sees it: which day of how
 * many, a progress bar, and the time left from the runner's own estimate,
 * counting down as the page is drawn, never "about 0s left".
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDataDb } from '../../db/client.ts';
import { setJobProgress, startJob } from '../../db/queries/jobs.ts';
import { beat } from '../../db/queries/runners.ts';
import { openPage } from '../helpers/browser.ts';
import { seededSite } from '../helpers/web-server.ts';

const site = seededSite();
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

function running(progress: (now: number) => string) {
  const db = openDataDb(join(site.inst.dir, 'data'));
  try {
    const now = Date.now();
    beat(db, { id: 'host:1', kind: 'cli', startedAt: now - 60_000 });
    const id = startJob(db, { kind: 'cycle', requestedBy: 'cli' }, 'host:1');
    setJobProgress(db, id, progress(now));
  } finally {
    db.$client.close();
  }
}

describe('the banner of a run in progress', () => {
  it('says which day of how many, draws the share done, and the time left until the estimated end', async () => {
    running((now) => `[3/8] Ada Lovelace day 4: timing · ETA 1m40s, ends ${clock(now + 100_000)}`);
    const page = await openPage(site.browser, site.server.url);
    const banner = page.getByTestId('status-banner');
    const text = (await banner.textContent())!;
    expect(text).toContain('[3/8] Ada Lovelace day 4: timing');
    // Drawn a few seconds after the line was written: the time left runs down from 1m40s, it is not the line's own.
    expect(text).toMatch(/about 1m[34]\ds left/);
    expect(text).not.toMatch(/about 0s left/);
    const bar = page.getByTestId('run-progress');
    expect([await bar.getAttribute('value'), await bar.getAttribute('max')]).toEqual(['2', '8']);
    expect(await bar.getAttribute('aria-label')).toBe('2 of 8 days done');
    await page.close();
  });
});
