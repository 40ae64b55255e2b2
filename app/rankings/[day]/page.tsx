import Link from 'next/link';
import { notFound } from 'next/navigation';
import { listParticipantViews, listResultViews, samplesOf } from '../../../db/queries/views.ts';
import { Pager, pageParam } from '../../_components/Pager.tsx';
import { counts } from '../../../lib/leaderboard.ts';
import { ClassNotice } from '../../_components/ClassNotice.tsx';
import { Settings } from '../../_components/Settings.tsx';
import { classView } from '../../_lib/classes.ts';
import { db, instance } from '../../_lib/data.ts';
import { enterSeason } from '../../_lib/season.ts';
import { viewParams, withParams, type SearchParams } from '../../_lib/params.ts';
import { dayTitle } from '../../_lib/titles.ts';
import { allLanguages, visibleParticipants } from '../../_lib/participants.ts';
import { RankingLegend, RankingTable } from '../RankingTable.tsx';

export const generateMetadata = dayTitle((d) => `Day ${d} rankings`);

const PER_PAGE = 50;

export default async function DayRankingPage({ params, searchParams }: { params: Promise<{ day: string; season?: string }>; searchParams: SearchParams }) {
  const { base } = await enterSeason(params);
  const day = Number((await params).day);
  if (!Number.isInteger(day) || day < 1 || day > instance().config.days) notFound();
  const v = await viewParams(searchParams);
  const all = listParticipantViews(db());
  // Several hardware classes: ranks are within the shown one.
  const cls = classView(v);
  const dayResults = listResultViews(db(), day);
  const shown = visibleParticipants(all, v);
  const shownIds = new Set(shown.map((p) => p.id));
  return (
    <>
      <h1>Rankings: day {day}</h1>
      <Settings path={`${base}/rankings/${day}`} v={v} languages={allLanguages(all)} />
      <ClassNotice choice={cls.choice} path={`${base}/rankings/${day}`} v={v} counted={dayResults} />
      <p>
        <Link href={withParams(`${base}/rankings`, v.raw, {})}>All days</Link> · <Link href={withParams(`${base}/days/${day}`, v.raw, {})}>Day {day} details</Link>
      </p>
      <RankingTable
        day={day} participants={shown} results={cls.filter(dayResults)}
        samplesOf={(ids) => samplesOf(db(), day, ids)} from={(v.page - 1) * PER_PAGE} show={PER_PAGE}
        method={v.method} unit={v.unit} anon={v.anon} base={base}
      />
      <Pager page={v.page} perPage={PER_PAGE} noun="Places" total={cls.filter(dayResults).filter((r) => counts(r) && shownIds.has(r.participantId)).length} href={(n) => withParams(`${base}/rankings/${day}`, v.raw, pageParam(n))} />
      <RankingLegend />
    </>
  );
}
