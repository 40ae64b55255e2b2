/**
 * What pages compute over the whole board is stored per content version
 * (view_snapshots): the site reads the ranking the runner stored after a
 * cycle, a restarted site reads what the last one computed, and the board's
 * markup is sent once (in the HTML, not again in the RSC payload).
 */
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inSeason } from '../../db/client.ts';
import { storeDefaultBoard } from '../../db/queries/board.ts';
import { syntheticSeason } from '../../db/seed.ts';
import type { BoardRanking } from '../../lib/board-ranking.ts';
import { withDb } from '../helpers/instance.ts';
import { seededSite, startWebServer } from '../helpers/web-server.ts';

const site = seededSite(
  // As the runner does when a cycle that changed results ends.
  (inst) => withDb(inst.dir, (db) => storeDefaultBoard(inSeason(db, 2024), { podium: true })),
  { participants: syntheticSeason({ participants: 60, days: 25, history: 1 }), year: 2024, days: 25 },
);

type Row = { key: string; version: number; writtenAt: number; body: string };
function snapshots(): Map<string, Row> {
  const db = new Database(join(site.inst.dir, 'data', 'aocbench.db'), { readonly: true });
  try {
    const rows = db.prepare('select key, version, written_at as writtenAt, body from view_snapshots').all() as Row[];
    return new Map(rows.map((r) => [r.key, r]));
  } finally {
    db.close();
  }
}
const contentVersion = () => {
  const db = new Database(join(site.inst.dir, 'data', 'aocbench.db'), { readonly: true });
  try {
    return db.prepare('select n from content_version').pluck().get() as number;
  } finally {
    db.close();
  }
};

describe('views stored per content version', () => {
  it("the first view of the board reads the ranking the runner stored: not ranked again, and the same order", async () => {
    const before = snapshots().get('2024:board:median:')!;
    expect(before.version).toBe(contentVersion());
    const page = await site.browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(site.server.url);
    const ranking = JSON.parse(before.body) as BoardRanking;
    const first = (await page.locator('[data-testid=standings] li').first().getAttribute('data-testid'))!;
    expect(first).toBe(`standing-${ranking.order[0]}`);
    // Read, not computed and written again.
    expect(snapshots().get('2024:board:median:')!.writtenAt).toBe(before.writtenAt);
    await page.close();
  });

  it('a restarted site reads the health, memory and rankings it computed before, instead of computing them again', async () => {
    for (const path of ['/health', '/memory', '/rankings']) expect((await fetch(site.server.url + path)).status).toBe(200);
    const stored = snapshots();
    expect([...stored.keys()].sort()).toEqual(expect.arrayContaining(['2024:board:median:', '2024:memory:', expect.stringMatching(/^2024:health-summaries:\d+$/)]));
    await site.server.stop();
    site.server = await startWebServer(site.inst.config);
    for (const path of ['/health', '/memory', '/rankings', '/']) expect((await fetch(site.server.url + path)).status).toBe(200);
    const again = snapshots();
    for (const [key, row] of stored) expect(again.get(key)?.writtenAt, key).toBe(row.writtenAt);
  });

  it('a ranking stored under another podium setting is not used: the config changed, the board is ranked again', async () => {
    writeFileSync(site.inst.config, readFileSync(site.inst.config, 'utf8').replace('podium: true', 'podium: false'));
    await site.server.stop();
    site.server = await startWebServer(site.inst.config);
    try {
      const html = await (await fetch(site.server.url)).text();
      expect(html).not.toMatch(/class='?[^'>]*\bgold\b/);
      expect(html).not.toContain(' pts<');
      expect((JSON.parse(snapshots().get('2024:board:median:')!.body) as BoardRanking).podium).toBe(false);
    } finally {
      writeFileSync(site.inst.config, readFileSync(site.inst.config, 'utf8').replace('podium: false', 'podium: true'));
      await site.server.stop();
      site.server = await startWebServer(site.inst.config);
    }
  });

  it("the board's markup is in the HTML once, not again in the RSC payload; a click to another page still shows its grid", async () => {
    const html = await (await fetch(site.server.url)).text();
    const flight = html.indexOf('self.__next_f');
    expect(flight).toBeGreaterThan(0);
    const cells = (s: string) => (s.match(/data-p=/g) ?? []).length;
    expect(cells(html.slice(0, flight))).toBeGreaterThan(25 * 20);
    expect(cells(html.slice(flight))).toBe(0);
    // A client navigation gets an RSC payload only: the grid comes in it.
    const page = await site.browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(site.server.url);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    await page.getByTestId('pager').getByRole('link', { name: '2', exact: true }).first().click();
    await page.waitForURL(/page=2/);
    await expect.poll(() => page.locator('[data-testid=standings] li .place').first().textContent()).toBe('26');
    expect(await page.locator('td[data-p]').count()).toBeGreaterThan(25 * 20);
    // No reload: the same document.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    await page.close();
  });
});
