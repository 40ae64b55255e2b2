/**
 * Pages that used to mislead: a compile error hidden behind "(no output)",
 * days nobody looked at shown as a green ok, a health table wider than the
 * screen, a disputed answers file nobody was told about, and ties shown as a ranking.
 */
import { describe, expect, it } from 'vitest';
import { setHealth } from '../../db/queries/health.ts';
import { replaceMatrixInputs, saveMatrixCell } from '../../db/queries/matrix.ts';
import { saveDayResult } from '../../db/queries/results.ts';
import { openPage } from '../helpers/browser.ts';
import { withDb } from '../helpers/instance.ts';
import { seededSite } from '../helpers/web-server.ts';

const COMPILER = "error[E0308]: mismatched types\n --> src/main.rs:3:5\n  |\n3 |     x\n  |     ^ expected `u64`, found `i32`\n" + 'x'.repeat(400);

describe('pages people can trust', () => {
  const site = seededSite((inst) =>
    withDb(inst.dir, (db) => {
      const barbara = inst.ids['Barbara Liskov'];
      db.$client
        .prepare("update day_results set status = 'error', failed_step = 'runonce', message = 'runonce exited with code 101', runonce_output = ?, check_output = null, median_ms = null where participant_id = ? and day = 4")
        .run(COMPILER, barbara);
      for (const day of [1, 2, 3, 5]) setHealth(db, barbara, day, 'day', 'ok', 'Present; runs on its own input.', JSON.stringify({ exists: true, hasInput: true, hasPart1: true, hasPart2: true }));
      setHealth(db, barbara, 2, 'answers', 'warning', 'Your answers file (part 1 "0", part 2 "0") disagrees with every solver: 4 of 4 print part 1 "61", part 2 "7" on your input.');
      // Grace fails a day nobody else has: she is not complete (the old rule only counted days with a time).
      saveDayResult(db, { participantId: inst.ids['Grace Hopper'], day: 6, runAt: Date.now(), version: 'v6', inputVersion: 'i', imageId: 'sha256:seed', status: 'wrong', failedStep: 'check', exitCode: 0, inputSource: 'Grace Hopper', samples: '[]', medianMs: null, meanMs: null, minMs: null, maxMs: null, stddevMs: null, ciLowMs: null, ciHighMs: null, checkMs: 1, expected: null, message: 'wrong answer', runonceOutput: null, checkOutput: '1\n', durationMs: 1 });
      // Day 1 matrix: Alan's solution does not compile (errors everywhere); Ada is right on both inputs.
      replaceMatrixInputs(db, 1, [
        { name: 'Ada Lovelace', ownerId: inst.ids['Ada Lovelace'], version: 'a', part1: '1', part2: '2' },
        { name: 'Alan Turing', ownerId: inst.ids['Alan Turing'], version: 'b', part1: '3', part2: '4' },
      ]);
      const cell = (solver: string, input: string, status: string) =>
        saveMatrixCell(db, { solverId: inst.ids[solver], day: 1, input, inputVersion: input === 'Ada Lovelace' ? 'a' : 'b', solverVersion: 's', status, exitCode: status === 'error' ? 1 : 0, message: null, output: null, expected: null, wallMs: 1, runAt: Date.now() });
      for (const input of ['Ada Lovelace', 'Alan Turing']) {
        cell('Alan Turing', input, 'error');
        cell('Ada Lovelace', input, 'correct');
      }
    }),
  );

  it('the health page shows the compiler\'s message where the verdict is, not "(no output)"', async () => {
    const page = await openPage(site.browser, `${site.server.url}/health/${encodeURIComponent('Barbara Liskov')}`, 1400);
    expect(await page.getByTestId('check-output-4').textContent()).toContain('expected `u64`, found `i32`');
    expect(await page.getByTestId('check-output-4').isVisible()).toBe(true);
    // Days nobody has looked at are not a green "ok".
    expect(await page.getByTestId('health-day-9').textContent()).toMatch(/not checked.*No run has looked at this day yet/);
    expect(await page.getByTestId('health-day-1').textContent()).toMatch(/^Day 1ok/);
    // The disputed answers file is said on the day.
    expect(await page.getByTestId('health-note-2').textContent()).toMatch(/disagrees with every solver/);
    // At 1400 px the day table fits: nothing scrolls sideways.
    const overflow = await page.getByTestId('health-days').evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('a participant that failed a day nobody else has is not complete: no Runtime medal, a *', async () => {
    const page = await openPage(site.browser, `${site.server.url}/?order=config`);
    const grace = await page.locator(`[data-testid=runtime] td`).nth(Object.keys(site.inst.ids).indexOf('Grace Hopper')).textContent();
    expect(grace?.trim()).toMatch(/\*$/);
    await page.close();
  });

  it('a solution that does not compile fails on every input; it is not "wrong on every input"', async () => {
    const page = await openPage(site.browser, `${site.server.url}/matrix/1`);
    expect(await page.getByTestId(`matrix-solver-${site.inst.ids['Alan Turing']}`).textContent()).toContain('fails on every input (errors, not answers)');
    expect(await page.getByTestId(`matrix-solver-${site.inst.ids['Ada Lovelace']}`).textContent()).not.toMatch(/every input|own input/);
    await page.close();
  });

  it('ties are shown as ties: a mark on the leaderboard, a shared rank on the rankings page', async () => {
    // Day 1: Ada (median 12.5, CI 11.25–14) and Grace (12.5) tie; Alan (20) does not.
    const page = await openPage(site.browser, site.server.url);
    const cell = (name: string) => page.locator(`[data-testid=day-1] td[data-p="${site.inst.ids[name]}"]`);
    expect(await cell('Ada Lovelace').getAttribute('class')).toMatch(/\btie\b/);
    expect(await cell('Grace Hopper').getAttribute('class')).toMatch(/\btie\b/);
    expect(await cell('Alan Turing').getAttribute('class')).not.toMatch(/\btie\b/);
    expect(await cell('Ada Lovelace').getAttribute('title')).toMatch(/95% confidence intervals overlap/);
    await page.close();
    const ranking = await openPage(site.browser, `${site.server.url}/rankings/1`);
    const ranks = await ranking.locator('[data-testid=ranking-1] tbody tr [data-testid=rank]').allTextContents();
    expect(ranks.slice(0, 3).map((r) => r.trim())).toEqual(['1=', '1=', '3']);
    // Why, in words beside each tied rank: whom it ties with; the medal in words too.
    const rows = ranking.locator('[data-testid=ranking-1] tbody tr');
    const reasons = await rows.locator('[data-testid=tie-reason]').allTextContents();
    expect(reasons).toHaveLength(2);
    expect(reasons.join(' | ')).toMatch(/(Ada Lovelace|Grace Hopper)/);
    expect(await rows.nth(2).locator('[data-testid=tie-reason]').count()).toBe(0);
    expect(await rows.first().locator('.sr').textContent()).toBe(' (gold)');
    expect(await ranking.getByTestId('ranking-legend').textContent()).toMatch(/2=.*tied/);
    await ranking.close();
  });
});
