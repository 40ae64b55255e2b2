import Link from 'next/link';
import { listMatrixCellsOfDay, listMatrixInputs } from '../../db/queries/matrix.ts';
import { listParticipantViews } from '../../db/queries/views.ts';
import { cached, db, instance } from '../_lib/data.ts';
import { enterSeason } from '../_lib/season.ts';
import { viewParams, withParams, type SearchParams } from '../_lib/params.ts';
import { title } from '../_lib/titles.ts';
import { allLanguages, visibleParticipants } from '../_lib/participants.ts';
import { MatrixDay } from './MatrixDay.tsx';

/** `?day=N`, `?participant=REGEX` (solvers), `?input=REGEX` (rows), `?lang=…`, `?anon`. */
export const metadata = title('Input matrix');

export default async function MatrixPage({ params, searchParams }: { params?: Promise<{ season?: string }>; searchParams: SearchParams }) {
  const { base } = await enterSeason(params);
  const v = await viewParams(searchParams);
  const one = (k: string) => (typeof v.raw[k] === 'string' ? (v.raw[k] as string) : undefined);
  const re = (s?: string) => {
    try {
      return s ? new RegExp(s, 'i') : null;
    } catch {
      return null;
    }
  };
  const pRe = re(one('participant'));
  const iRe = re(one('input'));
  const onlyDay = Number(one('day')) || null;
  const all = cached('participants', () => listParticipantViews(db()));
  const solvers = visibleParticipants(all, v).filter((p) => !pRe || pRe.test(all.find((a) => a.id === p.id)!.name));
  const inputs = listMatrixInputs(db()).filter((i) => !iRe || iRe.test(i.name));
  const days = [...new Set(inputs.map((i) => i.day))].filter((d) => !onlyDay || d === onlyDay).sort((a, b) => a - b);
  const year = instance().config.year;
  return (
    <>
      <h1>Input matrix</h1>
      <div className="settings">
        <span className="label">Day</span>
        <Link className={onlyDay ? '' : 'active'} href={withParams(`${base}/matrix`, v.raw, { day: undefined })}>
          all
        </Link>
        {[...new Set(listMatrixInputs(db()).map((i) => i.day))].map((d) => (
          <Link key={d} className={onlyDay === d ? 'active' : ''} href={withParams(`${base}/matrix`, v.raw, { day: String(d) })}>
            {d}
          </Link>
        ))}
        <span className="label">Language</span>
        {allLanguages(all).map((l) => (
          <Link key={l} className={v.lang.includes(l) ? 'active' : ''} href={withParams(`${base}/matrix`, v.raw, { lang: l })}>
            {l}
          </Link>
        ))}
        <Link href={`${base}/matrix/submit`}>Submit an input</Link>
      </div>
      <p className="muted">
        Everyone&apos;s solution on everyone&apos;s input. Green: correct; red: wrong; yellow: error, timeout, out of memory or output limit; white: answers unknown; a blue frame marks the solver&apos;s own input.
      </p>
      {days.map((day) => (
        <section key={day}>
          <h2>
            Day {day}{' '}
            <a className="muted" href={`https://adventofcode.com/${year}/day/${day}`}>
              puzzle ↗
            </a>
          </h2>
          <MatrixDay day={day} solvers={solvers} inputs={inputs.filter((i) => i.day === day)} cells={listMatrixCellsOfDay(db(), day)} anon={v.anon} />
        </section>
      ))}
      {days.length === 0 ? <p className="muted">No matrix runs yet. Run <code>aocbench matrix</code>.</p> : null}
    </>
  );
}
