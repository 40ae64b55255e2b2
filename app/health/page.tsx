import Link from 'next/link';
import { viewParams, type SearchParams } from '../_lib/params.ts';
import { title } from '../_lib/titles.ts';
import { ParticipantHealth } from './ParticipantHealth.tsx';
import { loadHealth } from './load.ts';

export const metadata = title('Health');

export default async function HealthPage({ searchParams }: { searchParams: SearchParams }) {
  const v = await viewParams(searchParams);
  const onlyBad = 'bad' in v.raw;
  const all = loadHealth(undefined, v.anon);
  const shown = onlyBad ? all.filter((x) => x.level !== 'ok') : all;
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
      {shown.map((x) => (
        <ParticipantHealth key={x.h.participant.id} {...x} onlyBad={onlyBad} anon={v.anon} />
      ))}
    </>
  );
}
