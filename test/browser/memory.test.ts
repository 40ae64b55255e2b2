import { describe, expect, it } from 'vitest';
import { openPage } from '../helpers/browser.ts';
import { withDb } from '../helpers/instance.ts';
import { seededSite } from '../helpers/web-server.ts';

/**
 * Issue 22: peak memory and CPU time where readers look (the memory podium,
 * the day page, the participant page, a cell's details), and the memory
 * podium's tie rule: the least memory wins, peaks within the tolerance tie,
 * and only correct solutions count.
 */
describe('memory and CPU time on the site', () => {
  const site = seededSite((inst) =>
    withDb(inst.dir, (db) => {
      const set = db.$client.prepare('UPDATE day_results SET peak_memory_kb = ?, memory_low_kb = ?, memory_high_kb = ?, user_ms = ?, sys_ms = ?, memory_meter = ? WHERE participant_id = ? AND day = ?');
      const id = inst.ids;
      // Day 1: Grace and Ada 1% apart (a tie), Alan 5 MB, Edsger 40 MB, Barbara 100 MB; Grace's run used two cores.
      set.run(2048, 2040, 2056, 11, 1, 'cgroup', id['Ada Lovelace'], 1);
      set.run(2028, 2020, 2036, 24, 1, 'cgroup', id['Grace Hopper'], 1);
      set.run(5120, 5100, 5140, 19, 1, 'cgroup', id['Alan Turing'], 1);
      set.run(40960, 40900, 41000, 29, 1, 'cgroup', id['Edsger Dijkstra'], 1);
      set.run(102400, 102000, 103000, 39, 1, 'cgroup', id['Barbara Liskov'], 1);
      // Day 2: Edsger's is wrong (and smallest): it does not count.
      set.run(100, 100, 100, 1, 0, 'cgroup', id['Edsger Dijkstra'], 2);
      set.run(3000, 3000, 3000, 4, 0, 'cgroup', id['Ada Lovelace'], 2);
      set.run(9000, 9000, 9000, 2, 0, 'cgroup', id['Grace Hopper'], 2);
    }),
  );

  it('the memory podium: least memory first, close peaks tied, wrong answers out', async () => {
    const page = await openPage(site.browser, `${site.server.url}/memory`);
    expect(await page.title()).toMatch(/^Memory · aocbench 2025$/);
    const day1 = await page.locator('[data-testid="memory-day-1"] tbody tr').allInnerTexts();
    expect(day1.map((r) => r.split('\t').slice(0, 2).join(' ').replace(/\s*\((gold|silver|bronze)\)/, '').replace(/\s+/g, ' '))).toEqual([
      '1= Grace Hopper', '1= Ada Lovelace', '3 Alan Turing', '4 Edsger Dijkstra', '5 Barbara Liskov',
    ]);
    // Medals in words, not colour only.
    expect(day1[0]).toMatch(/gold/);
    expect(day1[2]).toMatch(/bronze/);
    expect(await page.locator('[data-testid="memory-day-1"] [data-testid="memory-peak"]').first().innerText()).toBe('1.98 MB');
    const day2 = await page.locator('[data-testid="memory-day-2"] tbody tr').allInnerTexts();
    expect(day2.join('\n')).not.toMatch(/Edsger/);
    expect(day2[0]).toMatch(/^1\b[\s\S]*Ada Lovelace/);
    // Standings: Ada 4+4, Grace 4+3.
    const standings = await page.locator('[data-testid="memory-standings"] tbody tr').allInnerTexts();
    expect(standings[0]).toMatch(/Ada Lovelace\s+8/);
    expect(standings[1]).toMatch(/Grace Hopper\s+7/);
    await page.close();
  });

  it('the day page, the participant page and a cell show peak memory and CPU time against wall time', async () => {
    const day = await openPage(site.browser, `${site.server.url}/days/1`);
    expect(await day.locator('[data-testid="day-peak-memory"]').allInnerTexts()).toContain('40.0 MB');
    expect(await day.locator('table.grid').innerText()).toMatch(/25\.0+ ms \(2\.00×\)/);
    await day.close();
    const p = await openPage(site.browser, `${site.server.url}/participants/${encodeURIComponent('Barbara Liskov')}`);
    expect(await p.locator('[data-testid="participant-day-1"] [data-testid="peak-memory"]').first().innerText()).toBe('100.0 MB');
    await p.close();
    const cell = (await (await fetch(`${site.server.url}/api/cell?p=${site.inst.ids['Grace Hopper']}&d=1`)).json()) as { lines: string[] };
    expect(cell.lines.join('\n')).toMatch(/peak memory 1\.98 MB \(all processes\)/);
    expect(cell.lines.join('\n')).toMatch(/= 2\.00× wall: parallel/);
  });
});
