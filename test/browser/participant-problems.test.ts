import { describe, expect, it } from 'vitest';
import { setHealth } from '../../db/queries/health.ts';
import { recordImage, recordRepoUpdate, setParticipantConfig } from '../../db/queries/participants.ts';
import { openPage } from '../helpers/browser.ts';
import { withDb } from '../helpers/instance.ts';
import { seededSite } from '../helpers/web-server.ts';

/** A build log longer than its box: the error is on the last line. */
const BUILD_LOG = `${Array.from({ length: 300 }, (_, i) => `Step ${i}: RUN make part${i}`).join('\n')}\nThe command '/bin/sh -c false' returned a non-zero code: 1\n`;

/**
 * A participant whose clone, config or image failed: their leaderboard column
 * says so and links to /health/<name>, where the reason is, the tail of a
 * long build log in view without scrolling.
 */
describe('a participant whose own step failed, on the leaderboard and the health page', () => {
  const site = seededSite((inst) =>
    withDb(inst.dir, (db) => {
      const [ada, grace, alan, edsger] = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra'].map((n) => inst.ids[n]);
      recordImage(db, ada, { ok: false, kind: 'dockerfile', ref: 'aocbench-adalovelace:0123', imageId: null, built: true, log: BUILD_LOG });
      setHealth(db, ada, 0, 'image', 'error', 'Image aocbench-adalovelace:0123 is not usable.', BUILD_LOG);
      recordImage(db, grace, { ok: false, kind: 'image', ref: 'nosuch:1', imageId: null, built: false, log: 'Image "nosuch:1" is not available locally and could not be pulled.\n' });
      setHealth(db, grace, 0, 'image', 'error', 'Image nosuch:1 is not usable.', 'Image "nosuch:1" is not available locally and could not be pulled.\n');
      setParticipantConfig(db, alan, { config: null, language: ['python'], state: 'error', messages: ['YAML does not parse: unexpected end of the stream'] });
      setHealth(db, alan, 0, 'config', 'error', 'YAML does not parse: unexpected end of the stream');
      recordRepoUpdate(db, edsger, { ok: false, operation: 'fetch', failedStep: 'fetch', output: 'git fetch\nfatal: could not read from remote repository\n', head: null });
      setHealth(db, edsger, 0, 'repo', 'error', 'git fetch failed; results from the last good update are kept.', 'fatal: could not read from remote repository');
    }),
  );

  it('each failing column carries its badge, linking to its health page; the others none', async () => {
    const page = await openPage(site.browser, `${site.server.url}/?order=config`);
    const ids = site.inst.ids;
    const badge = (name: string) => page.getByTestId(`problem-${ids[name]}`);
    expect(await badge('Ada Lovelace').textContent()).toBe('build failed');
    expect(await badge('Grace Hopper').textContent()).toBe('image missing');
    expect(await badge('Alan Turing').textContent()).toBe('config error');
    expect(await badge('Edsger Dijkstra').textContent()).toBe('repo unreachable');
    expect(await badge('Barbara Liskov').count()).toBe(0);
    expect(await badge('Ada Lovelace').getAttribute('href')).toBe(`/health/${encodeURIComponent('Ada Lovelace')}`);
    // Their results stay on the board.
    expect(await page.getByTestId('day-1').locator(`td[data-p="${ids['Ada Lovelace']}"]`).textContent()).toBe('12.50 ms');
    await badge('Ada Lovelace').click();
    await page.waitForURL(/\/health\/Ada%20Lovelace$/);
    const log = page.getByTestId('image-log');
    expect(await log.isVisible()).toBe(true);
    expect(await log.textContent()).toContain("returned a non-zero code: 1");
    // The box opens at the end of the log: its last line is inside the visible part of the box.
    const inView = await log.evaluate((pre) => {
      const line = document.createRange();
      const text = pre.textContent!;
      const node = pre.querySelector('span')!.firstChild!;
      line.setStart(node, text.lastIndexOf('The command'));
      line.setEnd(node, text.length - 1);
      const r = line.getBoundingClientRect();
      const box = pre.getBoundingClientRect();
      return r.top >= box.top && r.bottom <= box.bottom + 1;
    });
    expect(inView).toBe(true);
    await page.close();
  });

  it('the health pages say why: the config error and the git error', async () => {
    const alan = await openPage(site.browser, `${site.server.url}/health/${encodeURIComponent('Alan Turing')}`);
    expect(await alan.locator('section').first().textContent()).toContain('YAML does not parse');
    const edsger = await openPage(site.browser, `${site.server.url}/health/${encodeURIComponent('Edsger Dijkstra')}`);
    expect(await edsger.getByTestId('git-output').textContent()).toContain('could not read from remote repository');
    await Promise.all([alan.close(), edsger.close()]);
  });
});
