import Link from 'next/link';
import { notFound } from 'next/navigation';
import { enterSeason } from '../../_lib/season.ts';
import { viewParams, type SearchParams } from '../../_lib/params.ts';
import { nameTitle } from '../../_lib/titles.ts';
import { ParticipantHealth } from '../ParticipantHealth.tsx';
import { loadHealth } from '../load.ts';

export const generateMetadata = nameTitle((n) => `Health of ${n}`, 'Health of a participant');

export default async function ParticipantHealthPage({ params, searchParams }: { params: Promise<{ name: string; season?: string }>; searchParams: SearchParams }) {
  const { base } = await enterSeason(params);
  const name = decodeURIComponent((await params).name);
  const v = await viewParams(searchParams);
  const [x] = loadHealth(name, v.anon);
  if (!x) notFound();
  const onlyBad = 'bad' in v.raw;
  return (
    <>
      <h1>Health</h1>
      <div className="settings">
        <Link href={`${base}/health`}>All participants</Link>
        <Link className={onlyBad ? '' : 'active'} href={`${base}/health/${encodeURIComponent(name)}`}>
          All days
        </Link>
        <Link className={onlyBad ? 'active' : ''} href={`${base}/health/${encodeURIComponent(name)}?bad`}>
          Bad days only
        </Link>
      </div>
      <ParticipantHealth {...x} onlyBad={onlyBad} anon={v.anon} base={base} />
    </>
  );
}
