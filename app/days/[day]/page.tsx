import Link from 'next/link';
import { notFound } from 'next/navigation';
import { listParticipantViews, listResultViews } from '../../../db/queries/views.ts';
import { formatTime, methodValue, unitLabel, unitScale } from '../../../lib/format.ts';
import { counts } from '../../../lib/leaderboard.ts';
import { Pager, pageParam } from '../../_components/Pager.tsx';
import { cpuText, formatMemory } from '../../../lib/usage.ts';
import { DayChart } from '../../_components/DayChart.tsx';
import { RemovedMark } from '../../_components/RemovedMark.tsx';
import { ClassNotice } from '../../_components/ClassNotice.tsx';
import { EnvNotice } from '../../_components/EnvNotice.tsx';
import { Settings } from '../../_components/Settings.tsx';
import { classView } from '../../_lib/classes.ts';
import { db, instance } from '../../_lib/data.ts';
import { enterSeason } from '../../_lib/season.ts';
import { viewParams, withParams, type SearchParams } from '../../_lib/params.ts';
import { dayTitle } from '../../_lib/titles.ts';
import { allLanguages, dateTime, visibleParticipants } from '../../_lib/participants.ts';


export const generateMetadata = dayTitle((d) => `Day ${d}`);

const PER_PAGE = 50;

export default async function DayPage({ params, searchParams }: { params: Promise<{ day: string; season?: string }>; searchParams: SearchParams }) {
  const { base } = await enterSeason(params);
  const day = Number((await params).day);
  const inst = instance().config;
  if (!Number.isInteger(day) || day < 1 || day > inst.days) notFound();
  const v = await viewParams(searchParams);
  const all = listParticipantViews(db());
  const shown = visibleParticipants(all, v);
  // Several hardware classes: the day shows one class's times; the others are a link away.
  const cls = classView(v);
  const dayResults = listResultViews(db(), day);
  const results = new Map(cls.filter(dayResults).map((r) => [r.participantId, r]));
  const f = unitScale(v.unit);
  // A page of participants at a time, fastest first: the page's size does not grow with the board.
  const allRows = shown.map((p) => ({ p, r: results.get(p.id) ?? null }));
  const key = (x: (typeof allRows)[number]) => (x.r && counts(x.r) ? methodValue(x.r, v.method)! : Infinity);
  allRows.sort((a, b) => key(a) - key(b));
  const pages = Math.max(1, Math.ceil(allRows.length / PER_PAGE));
  const page = Math.min(v.page, pages);
  const rows = allRows.slice((page - 1) * PER_PAGE, page * PER_PAGE);
  const bars = rows
    .filter(({ r }) => r && counts(r))
    .map(({ p, r }) => {
      const value = methodValue(r!, v.method)! * f;
      const lo = v.method === 'median' && r!.ciLowMs !== null ? value - r!.ciLowMs * f : 0;
      const hi = v.method === 'median' && r!.ciHighMs !== null ? r!.ciHighMs * f - value : 0;
      return { name: p.name, value, err: [lo, hi] as [number, number] };
    })
    .sort((a, b) => a.value - b.value);
  return (
    <>
      <h1>
        Day {day}{' '}
        <a className="muted" href={`https://adventofcode.com/${inst.year}/day/${day}`}>
          puzzle ↗
        </a>
      </h1>
      <Settings path={`${base}/days/${day}`} v={v} languages={allLanguages(all)} />
      <ClassNotice choice={cls.choice} path={`${base}/days/${day}`} v={v} counted={dayResults} />
      <EnvNotice envs={[...results.values()].map((r) => r.env)} base={base} />
      <p>
        <Link href={withParams(`${base}/rankings/${day}`, v.raw, {})}>Ranking of day {day}</Link>
      </p>
      {bars.length ? <DayChart bars={bars} unitLabel={unitLabel(v.unit)} /> : null}
      <Pager page={page} perPage={PER_PAGE} total={allRows.length} noun="Participants" href={(n) => withParams(`${base}/days/${day}`, v.raw, pageParam(n))} />
      <div className="scroll">
        <table className="grid">
          <thead>
            <tr>
              <th>Participant</th>
              <th>Verdict</th>
              <th>{v.method}</th>
              <th>Min</th>
              <th>Max</th>
              <th>Runs</th>
              <th>Peak memory</th>
              <th>CPU time (× wall)</th>
              <th>Input from</th>
              <th>Run at</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ p, r }) => (
              <tr key={p.id}>
                <td>{p.name}</td>
                <td>
                  {r ? <span className={`badge ${r.status}`}>{r.status}</span> : <span className="muted">no result</span>}
                  {r?.removedAt ? <RemovedMark at={r.removedAt} /> : null}
                </td>
                <td className="time">{r && counts(r) ? formatTime(methodValue(r, v.method)!, v.unit) : ''}</td>
                <td className="time">{r?.minMs != null ? formatTime(r.minMs, v.unit) : ''}</td>
                <td className="time">{r?.maxMs != null ? formatTime(r.maxMs, v.unit) : ''}</td>
                <td className="time">{r?.samples ?? ''}</td>
                <td className="time" data-testid="day-peak-memory">{r?.peakMemoryKb != null ? formatMemory(r.peakMemoryKb) : ''}</td>
                <td className="time">{r ? cpuText(r, v.unit) : ''}</td>
                <td>{r?.inputSource && !v.anon ? r.inputSource : ''}</td>
                <td>{r ? dateTime(r.runAt) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
