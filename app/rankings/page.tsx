import Link from 'next/link';
import { listParticipantViews, listResultViewsOf, samplesOf } from '../../db/queries/views.ts';
import { dayTop } from '../../lib/board-ranking.ts';
import { rankingOf } from '../_lib/board.ts';
import { ClassNotice } from '../_components/ClassNotice.tsx';
import { Settings } from '../_components/Settings.tsx';
import { classView } from '../_lib/classes.ts';
import { cached, db } from '../_lib/data.ts';
import { enterSeason } from '../_lib/season.ts';
import { viewParams, withParams, type SearchParams } from '../_lib/params.ts';
import { title } from '../_lib/titles.ts';
import { allLanguages, visibleParticipants } from '../_lib/participants.ts';
import { RankingLegend, RankingTable } from './RankingTable.tsx';

export const metadata = title('Rankings');

/** Places of each day shown here; the day's own page has the rest. */
const TOP = 10;

export default async function RankingsPage({ params, searchParams }: { params?: Promise<{ season?: string }>; searchParams: SearchParams }) {
  const { base } = await enterSeason(params);
  const v = await viewParams(searchParams);
  const all = cached('participants', () => listParticipantViews(db()));
  // Several hardware classes: ranks are within the shown one.
  const cls = classView(v);
  // Each day's top from the whole board's ranking (stored per content version): only those results are read.
  const ranking = rankingOf(v);
  const days = ranking.days.map((d) => d.day);
  const top = new Map(days.map((d) => [d, dayTop(ranking, d, TOP)]));
  const results = cls.filter(listResultViewsOf(db(), [...new Set([...top.values()].flat())]));
  return (
    <>
      <h1>Rankings</h1>
      <Settings path={`${base}/rankings`} v={v} languages={allLanguages(all)} />
      <ClassNotice choice={cls.choice} path={`${base}/rankings`} v={v} />
      {/* Wraps on a phone: 25 links side by side were one unbreakable line 650 px wide. */}
      <p className="day-links">
        Days:{' '}
        {days.map((d) => (
          <Link key={d} href={withParams(`${base}/rankings/${d}`, v.raw, {})}>
            {d}
          </Link>
        ))}
      </p>
      {days.map((day) => (
        <section key={day} id={`day${day}`}>
          <h2>Day {day}</h2>
          <RankingTable
            day={day} participants={visibleParticipants(all, v)} results={results.filter((r) => top.get(day)!.includes(r.participantId))}
            total={ranking.days.find((d) => d.day === day)!.ids.length}
            samplesOf={(ids) => samplesOf(db(), day, ids)} show={TOP}
            more={{ href: withParams(`${base}/rankings/${day}`, v.raw, {}), label: `The whole ranking of day ${day} ({n})` }}
            method={v.method} unit={v.unit} anon={v.anon} base={base}
          />
        </section>
      ))}
      {days.length ? <RankingLegend /> : null}
    </>
  );
}
