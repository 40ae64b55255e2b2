import Link from 'next/link';
import { notFound } from 'next/navigation';
import { listParticipantViews, listResultViews, listSamples } from '../../../db/queries/views.ts';
import { ClassNotice } from '../../_components/ClassNotice.tsx';
import { Settings } from '../../_components/Settings.tsx';
import { classView } from '../../_lib/classes.ts';
import { db, instance } from '../../_lib/data.ts';
import { viewParams, withParams, type SearchParams } from '../../_lib/params.ts';
import { dayTitle } from '../../_lib/titles.ts';
import { allLanguages, visibleParticipants } from '../../_lib/participants.ts';
import { RankingLegend, RankingTable } from '../RankingTable.tsx';

export const generateMetadata = dayTitle((d) => `Day ${d} rankings`);

export default async function DayRankingPage({ params, searchParams }: { params: Promise<{ day: string }>; searchParams: SearchParams }) {
  const day = Number((await params).day);
  if (!Number.isInteger(day) || day < 1 || day > instance().config.days) notFound();
  const v = await viewParams(searchParams);
  const all = listParticipantViews(db());
  // Several hardware classes: ranks are within the shown one.
  const cls = classView(v);
  const dayResults = listResultViews(db(), day);
  return (
    <>
      <h1>Rankings: day {day}</h1>
      <Settings path={`/rankings/${day}`} v={v} languages={allLanguages(all)} />
      <ClassNotice choice={cls.choice} path={`/rankings/${day}`} v={v} counted={dayResults} />
      <p>
        <Link href={withParams('/rankings', v.raw, {})}>All days</Link> · <Link href={withParams(`/days/${day}`, v.raw, {})}>Day {day} details</Link>
      </p>
      <RankingTable
        day={day} participants={visibleParticipants(all, v)} results={cls.filter(dayResults)}
        samples={new Map(listSamples(db(), day).map((s) => [s.participantId, s.samples]))}
        method={v.method} unit={v.unit} anon={v.anon}
      />
      <RankingLegend />
    </>
  );
}
