import { describe, expect, it } from 'vitest';
import { openPage } from '../helpers/browser.ts';
import { withDb } from '../helpers/instance.ts';
import { seededSite } from '../helpers/web-server.ts';

/** Results measured in two environments: the pages that compare them say so, /hardware and the cells say where. */
describe('measurement environments in a browser', () => {
  const site = seededSite((inst) =>
    withDb(inst.dir, (db) => {
      db.$client.prepare('update day_results set env = ? where participant_id = ?').run(JSON.stringify({ executor: 'vm', accel: 'kvm', pinnedCpus: '2-3', memoryLocked: true, cpuModel: 'Seeded CPU' }), inst.ids['Grace Hopper']);
    }),
  );

  it('the leaderboard and a day page warn that the times come from two environments', async () => {
    for (const path of ['/', '/days/1']) {
      const page = await openPage(site.browser, `${site.server.url}${path}`);
      expect(await page.getByTestId('env-notice').textContent(), path).toMatch(/measured in 2 different environments.*Docker container on Seeded CPU.*VM \(kvm, CPUs 2-3, memory locked\) on Seeded CPU/);
      await page.close();
    }
  });

  it('/hardware lists where the current results were measured', async () => {
    const page = await openPage(site.browser, `${site.server.url}/hardware`);
    const text = await page.getByTestId('environments').textContent();
    expect(text).toContain('Docker container on Seeded CPU');
    expect(text).toMatch(/VM \(kvm, CPUs 2-3, memory locked\) on Seeded CPU: 5 results/);
    await page.close();
  });

  it('a cell says where it was measured', async () => {
    const r = await fetch(`${site.server.url}/api/cell?p=${site.inst.ids['Grace Hopper']}&d=1`);
    expect(((await r.json()) as { lines: string[] }).lines).toContain('measured in: VM (kvm, CPUs 2-3, memory locked) on Seeded CPU');
  });
});
