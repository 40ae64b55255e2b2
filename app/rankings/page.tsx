import Link from 'next/link';
import { listParticipantViews, listResultViews, samplesOf } from '../../db/queries/views.ts';
import { ClassNotice } from '../_components/ClassNotice.tsx';
import { Settings } from '../_components/Settings.tsx';
import { classView } from '../_lib/classes.ts';
import { cached, db } from '../_lib/data.ts';
import { viewParams, withParams, type SearchParams } from '../_lib/params.ts';
import { title } from '../_lib/titles.ts';
import { allLanguages, visibleParticipants } from '../_lib/participants.ts';
import { RankingLegend, RankingTable } from './RankingTable.tsx';

export const metadata = title('Rankings');

/** Places of each day shown here; the day's own page has the rest. */
const TOP = 10;

export default async function RankingsPage({ searchParams }: { searchParams: SearchParams }) {
  const v = await viewParams(searchParams);
  const all = cached('participants', () => listParticipantViews(db()));
  // Several hardware classes: ranks are within the shown one.
  const cls = classView(v);
  const results = cached(`results:${cls.key}`, () => cls.filter(cached('results', () => listResultViews(db()))));
  const days = [...new Set(results.map((r) => r.day))].sort((a, b) => a - b);
  return (
    <>
      <h1>Rankings</h1>
      <Settings path="/rankings" v={v} languages={allLanguages(all)} />
      <ClassNotice choice={cls.choice} path="/rankings" v={v} />
      <p>
        Days:{' '}
        {days.map((d) => (
          <Link key={d} href={withParams(`/rankings/${d}`, v.raw, {})} style={{ marginRight: '0.5rem' }}>
            {d}
          </Link>
        ))}
      </p>
      {days.map((day) => (
        <section key={day} id={`day${day}`}>
          <h2>Day {day}</h2>
          <RankingTable
            day={day} participants={visibleParticipants(all, v)} results={results}
            samplesOf={(ids) => samplesOf(db(), day, ids)} show={TOP}
            more={{ href: withParams(`/rankings/${day}`, v.raw, {}), label: `The whole ranking of day ${day} ({n})` }}
            method={v.method} unit={v.unit} anon={v.anon}
          />
        </section>
      ))}
      {days.length ? <RankingLegend /> : null}
    </>
  );
}
