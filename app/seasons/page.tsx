import Link from 'next/link';
import { Pager, pageParam } from '../_components/Pager.tsx';
import { everyone, seasonBoards } from '../_lib/seasons-view.ts';
import { viewParams, withParams, type SearchParams } from '../_lib/params.ts';
import { title } from '../_lib/titles.ts';

export const metadata = title('Every season');

const PER_PAGE = 100;

/** Who took part when: each participant's place, points and days solved in every season, and their totals. */
export default async function SeasonsPage({ searchParams }: { searchParams: SearchParams }) {
  const v = await viewParams(searchParams);
  const boards = seasonBoards();
  const all = everyone(boards);
  const shown = all.slice((v.page - 1) * PER_PAGE, v.page * PER_PAGE);
  // Anonymous: "Participant N" by this page's order, and no links to named pages.
  const nameOf = (name: string) => (v.anon ? `Participant ${all.findIndex((x) => x.name === name) + 1}` : name);
  return (
    <>
      <h1>Every season</h1>
      <p className="muted">
        {boards.map((b) => `${b.year}: ${b.participants.length} participant${b.participants.length === 1 ? '' : 's'}`).join(' · ')}. A cell is the place on that season&apos;s board, its points and the days with a time.
      </p>
      <div className="scroll">
        <table className="grid stack" data-testid="seasons-table">
          <thead>
            <tr>
              <th>Participant</th>
              {boards.map((b) => (
                <th key={b.year}>
                  <Link href={b.base || '/'}>{b.year}</Link>
                </th>
              ))}
              <th>Seasons</th>
              <th>Days</th>
              <th>Gold</th>
              <th>Points</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((x) => (
              <tr key={x.name} data-testid={`seasons-${x.name}`}>
                <th data-label="Participant">{v.anon ? nameOf(x.name) : <Link href={`/seasons/${encodeURIComponent(x.name)}`}>{x.name}</Link>}</th>
                {boards.map((b) => {
                  const s = x.seasons.find((e) => e.year === b.year);
                  return (
                    <td key={b.year} data-label={String(b.year)} data-testid={`seasons-${x.name}-${b.year}`}>
                      {s?.standing ? `#${s.standing.rank} · ${s.standing.points} pts · ${s.solved}/${s.days}` : s ? 'no results' : '—'}
                    </td>
                  );
                })}
                <td data-label="Seasons">{x.seasons.length}</td>
                <td data-label="Days">{x.solved}</td>
                <td data-label="Gold">{x.golds}</td>
                <td data-label="Points">{x.points}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager page={v.page} perPage={PER_PAGE} total={all.length} noun="Participants" href={(n) => withParams('/seasons', v.raw, pageParam(n))} />
    </>
  );
}
