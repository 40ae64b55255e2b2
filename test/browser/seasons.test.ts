/**
 * Several seasons in one site (issue 24): one participant keeps both years in
 * one repository (`path: "%year%"`), another takes part in 2024 only. One
 * `bench` fills both seasons in real Docker; the site shows each at its own
 * URL, with a switcher, and a participant's every season on one page.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inSeason, openDataDb } from '../../db/client.ts';
import { listParticipants } from '../../db/queries/participants.ts';
import { bench } from '../../runner/cycle/bench.ts';
import type { BenchSummary } from '../../runner/records.ts';
import { resultsJson } from '../../runner/report/results-json.ts';
import { launchBrowser, openPage } from '../helpers/browser.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { quietProgress, writeInstance } from '../helpers/instance.ts';
import { startWebServer, type WebServer } from '../helpers/web-server.ts';

const SUM = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';
const config = (extra: string[] = []) => ['version: 1', `image: ${BUSYBOX_IMAGE}`, 'daypath: day%day%', 'cmd: awk -f day%day%/sol.awk %input%', 'inputfile: day%day%/input.txt', 'answerfile: day%day%/answers.txt', ...extra].join('\n') + '\n';
/** A day whose answer is the sum of its input (and its line count). */
const day = (n: number, input: string) => {
  const nums = input.trim().split('\n').map(Number);
  return { [`day${n}/sol.awk`]: SUM, [`day${n}/input.txt`]: input, [`day${n}/answers.txt`]: `${nums.reduce((a, b) => a + b, 0)}\n${nums.length}\n` };
};

let base: string;
let file: string;
let first: BenchSummary;
let again: BenchSummary;
let lines: string[];
let server: WebServer;
let browser: Browser;

const read = <T>(season: number, f: (db: ReturnType<typeof openDataDb>) => T): T => {
  const db = openDataDb(join(base, 'data'));
  try {
    return f(inSeason(db, season));
  } finally {
    db.$client.close();
  }
};

beforeAll(async () => {
  base = tempDir('aocbench-seasons-');
  // Both years in one repository, each in its own folder with its own config (a common layout).
  const ada = makeRepo({ '2023/.aocbench.yaml': config(), ...prefixed('2023', { ...day(1, '1\n2\n'), ...day(2, '3\n4\n') }), '2024/.aocbench.yaml': config(), ...prefixed('2024', { ...day(1, '5\n6\n'), ...day(2, '7\n8\n') }) }, base);
  const brian = makeRepo({ '.aocbench.yaml': config(), ...day(1, '10\n20\n'), ...day(2, '30\n') }, base);
  file = writeInstance(base, {
    seasons: [{ year: 2023, days: 2 }, { year: 2024, days: 2 }],
    podium: true,
    repeat: { runs: 3, warmup: 0 },
    participants: [
      { name: 'Ada', repo: ada.url, path: '%year%' },
      { name: 'Brian', repo: brian.url, seasons: [2024] },
    ],
  });
  lines = [];
  first = await bench({ config: file, progress: quietProgress(lines) });
  again = await bench({ config: file, progress: quietProgress() });
  server = await startWebServer(file);
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (base) rmSync(base, { recursive: true, force: true });
});

function prefixed(folder: string, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [`${folder}/${k}`, v]));
}

describe('one bench fills every season', () => {
  it('runs each season\'s days, reads a repository holding both years once, and keeps the seasons apart', () => {
    expect(first.jobs.map((j) => `${j.participant}/${j.day}`).sort()).toEqual(['Ada (2023)/1', 'Ada (2023)/2', 'Ada (2024)/1', 'Ada (2024)/2', 'Brian (2024)/1', 'Brian (2024)/2']);
    expect(first.jobs.every((j) => j.outcome?.status === 'correct')).toBe(true);
    // One fetch of Ada's repository for both seasons, one clone.
    expect(lines.filter((l) => l.startsWith('Ada: updating')).length).toBe(1);
    expect(readdirSync(join(base, 'data', 'repos')).filter((d) => d.startsWith('Ada')).length).toBe(1);
    const y2023 = read(2023, (db) => resultsJson(db));
    const y2024 = read(2024, (db) => resultsJson(db));
    expect(y2023.participants.map((p) => p.name)).toEqual(['Ada']);
    expect(y2024.participants.map((p) => p.name).sort()).toEqual(['Ada', 'Brian']);
    // Each season's own input from its own folder: 2023 day 1 sums 1+2, 2024 day 1 sums 5+6.
    expect(y2023.participants[0].days['1'].status).toBe('correct');
    expect(read(2023, (db) => listParticipants(db).map((p) => p.season))).toEqual([2023]);
    expect(read(2024, (db) => listParticipants(db).map((p) => `${p.name}:${p.season}`))).toEqual(['Ada:2024', 'Brian:2024']);
  });

  it('runs nothing the second time', () => {
    expect(again.jobs).toEqual([]);
    expect(again.containers).toBe(0);
  });

  it('runs only the season asked for', async () => {
    const only = await bench({ config: file, season: 2023, force: true, day: '1', progress: quietProgress() });
    expect(only.jobs.map((j) => `${j.participant}/${j.day}`)).toEqual(['Ada/1']);
  });
});

describe('the site of several seasons', () => {
  it('shows the newest season at / and another at /YEAR, with a switcher on every page', async () => {
    const page = await openPage(browser, `${server.url}/`);
    expect(await page.getByTestId('season').textContent()).toBe('2024');
    expect(await page.locator('.board-standings').textContent()).toMatch(/Brian/);
    const switcher = page.getByTestId('season-switcher');
    expect(await switcher.getByRole('link', { name: '2023' }).getAttribute('href')).toBe('/2023');
    await switcher.getByRole('link', { name: '2023' }).click();
    await page.waitForURL(`${server.url}/2023`);
    expect(await page.getByTestId('season').textContent()).toBe('2023');
    const standings = await page.locator('.board-standings').textContent();
    expect(standings).toMatch(/Ada/);
    expect(standings).not.toMatch(/Brian/);
    // Links stay in the season: the participant, the day, the navigation.
    expect(await page.locator('.board-standings a', { hasText: 'Ada' }).first().getAttribute('href')).toMatch(/^\/2023\/participants\/Ada/);
    expect(await page.getByRole('link', { name: 'Rankings' }).getAttribute('href')).toBe('/2023/rankings');
    await page.close();
  });

  it('serves every page of an older season under /YEAR and keeps the page when switching', async () => {
    for (const path of ['/2023/rankings', '/2023/rankings/1', '/2023/days/1', '/2023/memory', '/2023/health', '/2023/health/Ada', '/2023/participants/Ada', '/2023/matrix', '/2023/hardware', '/2024/days/2']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(200);
    }
    expect((await fetch(`${server.url}/2023/participants/Brian`)).status).toBe(404);
    // A page's own switches (statistic, unit, anonymise) stay in its season.
    const ada = await (await fetch(`${server.url}/2023/participants/Ada`)).text();
    expect(ada).toContain('href="/2023/participants/Ada?method=min"');
    expect(ada).not.toMatch(/href="\/participants\//);
    // A year is written as one: no other spelling of it is a page.
    expect((await fetch(`${server.url}/0x7E7`)).status).toBe(404);
    expect((await fetch(`${server.url}/2019`)).status).toBe(404);
    const page = await openPage(browser, `${server.url}/2023/rankings`);
    expect(await page.title()).toMatch(/Rankings · aocbench 2023/);
    await page.getByTestId('season-switcher').getByRole('link', { name: '2024' }).click();
    await page.waitForURL(`${server.url}/rankings`);
    expect(await page.getByTestId('season').textContent()).toBe('2024');
    await page.close();
  });

  it('answers the API per season', async () => {
    const old = (await (await fetch(`${server.url}/api/results.json?season=2023`)).json()) as { year: number; participants: Array<{ name: string }> };
    expect(old.year).toBe(2023);
    expect(old.participants.map((p) => p.name)).toEqual(['Ada']);
    const now = (await (await fetch(`${server.url}/api/results.json`)).json()) as { year: number; participants: Array<{ name: string }> };
    expect(now.year).toBe(2024);
    expect(now.participants.map((p) => p.name).sort()).toEqual(['Ada', 'Brian']);
    expect((await fetch(`${server.url}/api/days/1?season=2019`)).status).toBe(404);
    const search = (await (await fetch(`${server.url}/api/search?q=br&season=2023`)).json()) as unknown[];
    expect(search).toEqual([]);
  });

  it("lists a participant's every season and the board's", async () => {
    const page = await openPage(browser, `${server.url}/2023/participants/Ada`);
    await page.getByTestId('all-seasons').click();
    await page.waitForURL(`${server.url}/seasons/Ada`);
    expect(await page.getByTestId('seasons-summary').textContent()).toMatch(/2 seasons \(2024, 2023\) · 4 days with a time/);
    expect(await page.getByTestId('season-2023-day-1').textContent()).toMatch(/correct/);
    expect(await page.getByTestId('season-2024-day-2').textContent()).toMatch(/correct/);
    await page.goto(`${server.url}/seasons`);
    expect(await page.getByTestId('season').textContent()).toBe('every season');
    expect(await page.getByTestId('season-switcher').locator('[aria-current=page]').textContent()).toBe('all years');
    expect(await page.getByTestId('seasons-Brian-2023').textContent()).toBe('—');
    expect(await page.getByTestId('seasons-Brian-2024').textContent()).toMatch(/#\d · \d+ pts · 2\/2/);
    expect(await page.getByTestId('seasons-Ada-2023').textContent()).toMatch(/#1 · \d+ pts · 2\/2/);
    await page.close();
  });
});
