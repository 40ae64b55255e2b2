import { listEnvCounts } from '../db/queries/board.ts';
import { listParticipantProblems, listParticipantViews, listUndecrypted } from '../db/queries/views.ts';
import { rankingMedals } from '../lib/board-ranking.ts';
import { findByName } from '../lib/leaderboard.ts';
import { rankingOf, windowBoard } from './_lib/board.ts';
import { CellDetails } from './_components/CellDetails.tsx';
import { RawHtml } from './_components/RawHtml.tsx';
import { ClassNotice } from './_components/ClassNotice.tsx';
import { EnvNotice } from './_components/EnvNotice.tsx';
import { leaderboardHtml, standingsHtml } from './_components/leaderboard-html.ts';
import { Pager, pageParam } from './_components/Pager.tsx';
import { boardWindow, PAGE_SIZE } from '../lib/board-window.ts';
import { Settings } from './_components/Settings.tsx';
import { classView } from './_lib/classes.ts';
import { cached, db, instance } from './_lib/data.ts';
import { enterSeason } from './_lib/season.ts';
import { viewParams, withParams, type SearchParams } from './_lib/params.ts';
import { rootTitle } from './_lib/titles.ts';
import { allLanguages, visibleParticipants } from './_lib/participants.ts';

export const generateMetadata = rootTitle('Leaderboard');

export default async function LeaderboardPage({ params, searchParams }: { params?: Promise<{ season?: string }>; searchParams: SearchParams }) {
  const { base } = await enterSeason(params);
  const v = await viewParams(searchParams);
  const inst = instance().config;
  const all = cached('participants', () => listParticipantViews(db()));
  // Several hardware classes: the board is one class's, so medals and points compare like with like.
  const cls = classView(v);
  const key = `${base}:${v.method}:${v.unit}:${v.anon}:${v.lang.join(',')}:${v.order}:${v.q}:${cls.key}:${v.page}:${v.around ?? ''}`;
  const grid = cached(`leaderboard:${key}`, () => {
    // Medals, points and places are the whole board's (stored per content version); the order, the search and the window only choose columns.
    const ranking = rankingOf(v);
    const shown = visibleParticipants(all, v);
    const ordered = v.order === 'config' ? ranking.ids : ranking.order;
    const found = v.q ? new Set(findByName(shown, v.q).map((p) => p.id)) : null;
    const aroundId = v.around ? (shown.find((p) => p.name === v.around)?.id ?? null) : null;
    const win = boardWindow(found ? ordered.filter((id) => found.has(id)) : ordered, { page: v.page, aroundId });
    if (!win.ids.length) return null;
    const lb = windowBoard(v, win.ids);
    // Links keep the statistic, unit and hardware class; the language filter belongs to this page.
    const query = withParams('', { method: v.raw.method, unit: v.raw.unit, class: cls.param }, {});
    const undecrypted = cached('undecrypted', () => listUndecrypted(db()));
    const problems = cached('problems', () => listParticipantProblems(db()));
    const o = { unit: v.unit, anon: v.anon, podium: inst.podium, year: inst.year, query, undecrypted, problems, base };
    const place = cached(`places:${cls.key}:${v.method}:${v.lang.join(',')}`, () => ({
      rank: new Map(ranking.order.map((id, i) => [id, i + 1])),
      medals: rankingMedals(ranking),
    }));
    return { grid: leaderboardHtml(lb, o), standings: standingsHtml(lb, { ...o, ...place, highlight: aroundId }), win };
  });
  return (
    <>
      <h1>Leaderboard</h1>
      <Settings path={base || '/'} v={v} languages={allLanguages(all)} board />
      <ClassNotice choice={cls.choice} path={base || '/'} v={v} />
      <EnvNotice envs={cls.filter(cached('env-counts', () => listEnvCounts(db())))} base={base} />
      {grid ? (
        <>
          {/* Standings first, on every screen: who leads and where each stands, without scrolling the grid. */}
          <RawHtml className="board-standings" html={grid.standings} />
          <Pager page={grid.win.page} perPage={PAGE_SIZE} total={grid.win.total} noun="Participants" href={(n) => withParams(base || '/', v.raw, { ...pageParam(n), around: undefined })} />
          <RawHtml className="scroll board board-wide" html={grid.grid} />
        </>
      ) : (
        <p className="muted">{v.q ? `Nobody's name contains "${v.q}".` : <>No results yet. Run <code>aocbench bench</code>.</>}</p>
      )}
      <CellDetails query={withParams('', { method: v.raw.method, unit: v.raw.unit, anon: v.anon ? '' : undefined, season: base ? base.slice(1) : undefined }, {}).replace(/^\?/, '&')} />
      <p className="muted">
        Cells show the {v.method} of each day&apos;s timed runs; hover or tap a cell for min, max, the median&apos;s 95% confidence interval, the run count, previous results (↺) and the code.
        {inst.podium ? ' Podium: gold, silver and bronze cells are the three fastest times of a day (4, 3 and 2 points), 1 point for any other correct result; * = not every day completed (no medal).' : ''}
        {' '}<span data-testid="legend-tie">= after a time: tied, its 95% interval overlaps another time of the day, so they share the place;</span> — as a runtime: no day has a time (see the participant&apos;s health).
      </p>
    </>
  );
}
