/** News that did not reach its target is the operator's to see: on the health page, with the reason and the next try. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDataDb } from '../../db/client.ts';
import { enqueueMessage, markFailed, markRetry } from '../../db/queries/news.ts';
import { openPage } from '../helpers/browser.ts';
import { seededSite } from '../helpers/web-server.ts';

const site = seededSite((inst) => {
  const db = openDataDb(join(inst.dir, 'data'));
  try {
    enqueueMessage(db, { kind: 'discord', urlEnv: 'NEWS_DISCORD' }, '{}');
    markRetry(db, 1, 'HTTP 500', Date.UTC(2030, 0, 1, 12, 0));
    enqueueMessage(db, { kind: 'webhook', urlEnv: 'NEWS_HOOK' }, '{}');
    markFailed(db, 2, 'NEWS_HOOK is not set in the runner\'s environment');
  } finally {
    db.$client.close();
  }
});

describe('news delivery on the health page', () => {
  it('names each failing target, why, and whether it is retried or given up', async () => {
    const page = await openPage(site.browser, `${site.server.url}/health`);
    const box = page.getByTestId('news-delivery');
    expect(await box.getByTestId('news-discord:NEWS_DISCORD').textContent()).toMatch(/HTTP 500 · 1 attempt · next try 2030-01-01 12:00 UTC/);
    expect(await box.getByTestId('news-webhook:NEWS_HOOK').textContent()).toMatch(/NEWS_HOOK is not set .* given up/);
    await page.close();
  });
});
