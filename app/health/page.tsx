import Link from 'next/link';
import { Pager, pageParam } from '../_components/Pager.tsx';
import { viewParams, withParams, type SearchParams } from '../_lib/params.ts';
import { title } from '../_lib/titles.ts';
import { ParticipantHealth } from './ParticipantHealth.tsx';
import { loadHealth } from './load.ts';

export const metadata = title('Health');

/** Participants per page: the page's size does not grow with the board. */
const PER_PAGE = 50;

export default async function HealthPage({ searchParams }: { searchParams: SearchParams }) {
  const v = await viewParams(searchParams);
  const onlyBad = 'bad' in v.raw;
  const all = loadHealth(undefined, v.anon);
  const listed = onlyBad ? all.filter((x) => x.level !== 'ok') : all;
  const pages = Math.max(1, Math.ceil(listed.length / PER_PAGE));
  const page = Math.min(v.page, pages);
  const shown = listed.slice((page - 1) * PER_PAGE, page * PER_PAGE);
  return (
    <>
      <h1>Health</h1>
      <div className="settings">
        <Link className={onlyBad ? '' : 'active'} href="/health">
          All participants
        </Link>
        <Link className={onlyBad ? 'active' : ''} href="/health?bad">
          Bad only
        </Link>
        <span className="muted">
          {all.filter((x) => x.level === 'error').length} with errors, {all.filter((x) => x.level === 'warning').length} with warnings, {all.length} in all
        </span>
      </div>
      {shown.length === 0 ? <p className="muted">Nothing to show.</p> : null}
      <Pager page={page} perPage={PER_PAGE} total={listed.length} noun="Participants" href={(n) => withParams('/health', v.raw, pageParam(n))} />
      {shown.map((x) =>
        // All well: one line here (the whole of it is on the participant's own health page).
        x.level === 'ok' && !onlyBad ? (
          <section key={x.h.participant.id} data-testid={`health-${x.h.participant.dirName}`} className="health-ok">
            <h2>
              {v.anon ? x.h.participant.name : <Link href={`/health/${encodeURIComponent(x.h.participant.name)}`}>{x.h.participant.name}</Link>} <span className="badge ok">ok</span>{' '}
              <span className="muted">repository, config, image and {x.days.length} days</span>
            </h2>
          </section>
        ) : (
          <ParticipantHealth key={x.h.participant.id} {...x} onlyBad={onlyBad} anon={v.anon} />
        ),
      )}
    </>
  );
}
