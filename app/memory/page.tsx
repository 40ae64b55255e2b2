import Link from 'next/link';
import { listParticipantViews } from '../../db/queries/views.ts';
import { formatMemory, MEMORY_TOLERANCE } from '../../lib/usage.ts';
import { ClassNotice } from '../_components/ClassNotice.tsx';
import { esc } from '../_components/leaderboard-html.ts';
import { RawHtml } from '../_components/RawHtml.tsx';
import { Pager, pageParam } from '../_components/Pager.tsx';
import { Settings } from '../_components/Settings.tsx';
import { memoryBoardOf } from '../_lib/board.ts';
import { classView } from '../_lib/classes.ts';
import { cached, db } from '../_lib/data.ts';
import { enterSeason } from '../_lib/season.ts';
import { viewParams, withParams, type SearchParams } from '../_lib/params.ts';
import { allLanguages, visibleParticipants } from '../_lib/participants.ts';
import { title } from '../_lib/titles.ts';

export const metadata = title('Memory');

const PER_PAGE = 50;

/** Medals in words as well as colours. */
const medalText = (m: string | null) => (m ? `<span class='sr'> (${m})</span>` : '');

type Board = ReturnType<typeof memoryBoardOf>;

/** The standings' page as markup: sent once (RawHtml), not again as React elements. */
function standingsHtml(rows: Board['standings'], personal: (id: number) => string): string {
  const tr = rows.map(
    (s) =>
      `<tr><td class='${s.medal ?? ''}' data-label='Rank'>${s.rank}${medalText(s.medal)}</td><td data-label='Participant'>${personal(s.participantId)}</td>` +
      `<td class='time' data-label='Points'>${s.points}</td><td class='time' data-label='Gold'>${s.gold}</td><td class='time' data-label='Silver'>${s.silver}</td>` +
      `<td class='time' data-label='Bronze'>${s.bronze}</td><td class='time' data-label='Days'>${s.days}</td></tr>`,
  );
  return `<table class='grid stack' data-testid='memory-standings'><thead><tr><th>Rank</th><th>Participant</th><th>Points</th><th>Gold</th><th>Silver</th><th>Bronze</th><th>Days</th></tr></thead><tbody>${tr.join('')}</tbody></table>`;
}

function dayHtml(day: number, ranked: Board['days'][number]['ranked'], personal: (id: number) => string): string {
  const tr = ranked.map(
    (r) =>
      `<tr><td class='${r.medal ?? ''}' data-label='Place'><span data-testid='memory-place'>${r.rank}${r.tied ? '=' : ''}</span>${medalText(r.medal)}</td>` +
      `<td data-label='Participant'>${personal(r.participantId)}</td><td class='time' data-label='Peak memory' data-testid='memory-peak'>${esc(formatMemory(r.time))}</td>` +
      `<td class='time' data-label='From first'>${r.diffFirst ? `+${esc(formatMemory(r.diffFirst))}` : ''}</td></tr>`,
  );
  return `<table class='grid stack' data-testid='memory-day-${day}'><thead><tr><th>Place</th><th>Participant</th><th>Peak memory</th><th>From first</th></tr></thead><tbody>${tr.join('')}</tbody></table>`;
}

/** The memory podium: standings by memory points and each day's least peak memory, among correct solutions. */
export default async function MemoryPage({ params, searchParams }: { params?: Promise<{ season?: string }>; searchParams: SearchParams }) {
  const { base } = await enterSeason(params);
  const v = await viewParams(searchParams);
  const all = cached('participants', () => listParticipantViews(db()));
  const cls = classView(v);
  const shown = visibleParticipants(all, v);
  const names = new Map(shown.map((p) => [p.id, p.name]));
  const board = memoryBoardOf(v);
  const personal = (id: number) => (v.anon ? esc(names.get(id)!) : `<a href='${base}/participants/${esc(encodeURIComponent(names.get(id)!))}'>${esc(names.get(id)!)}</a>`);
  return (
    <>
      <h1>Memory</h1>
      <p className="note">
        Peak memory of a solution&apos;s whole process tree during a timed run (median over its runs), measured by the
        kernel; only correct solutions count. Places and points work as for time (gold 4, silver 3, bronze 2, any other 1);
        results tie (=) when their intervals, widened by {MEMORY_TOLERANCE.relative * 100}% and {MEMORY_TOLERANCE.kb} KB,
        overlap. The leaderboard and rankings stay by time.
      </p>
      <Settings path={`${base}/memory`} v={v} languages={allLanguages(all)} />
      <ClassNotice choice={cls.choice} path={`${base}/memory`} v={v} />
      {board.standings.length === 0 ? <p className="muted">No memory measured yet.</p> : null}
      {board.standings.length ? (
        <section>
          <h2>Standings</h2>
          <RawHtml className="scroll" html={standingsHtml(board.standings.slice((v.page - 1) * PER_PAGE, v.page * PER_PAGE), personal)} />
          <Pager page={v.page} perPage={PER_PAGE} total={board.standings.length} noun="Participants" href={(n) => withParams(`${base}/memory`, v.raw, pageParam(n))} />
        </section>
      ) : null}
      {board.days.map(({ day, ranked, total }) => (
        <section key={day}>
          <h2>
            Day {day} <Link className="muted" href={withParams(`${base}/days/${day}`, v.raw, {})}>all results</Link>
          </h2>
          <RawHtml html={dayHtml(day, ranked, personal)} />
          {total > ranked.length ? <p className="muted">and {total - ranked.length} more on the <Link href={withParams(`${base}/days/${day}`, v.raw, {})}>day page</Link></p> : null}
        </section>
      ))}
    </>
  );
}
