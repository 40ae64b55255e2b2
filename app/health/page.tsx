import Link from 'next/link';
import { deliveryProblems } from '../../db/queries/news.ts';
import { listParticipantViews } from '../../db/queries/views.ts';
import { dateTime } from '../_lib/participants.ts';
import { Pager, pageParam } from '../_components/Pager.tsx';
import { cached, db } from '../_lib/data.ts';
import { enterSeason } from '../_lib/season.ts';
import { viewParams, withParams, type SearchParams } from '../_lib/params.ts';
import { title } from '../_lib/titles.ts';
import { healthSummaries } from './summary.ts';

export const metadata = title('Health');

/** Participants per page: the page's size does not grow with the board. */
const PER_PAGE = 50;

/**
 * Everyone's health at a glance: a line for each participant who is well, a
 * short card with the first problems for each who is not; the whole of one
 * participant (logs, config, every day) is on /health/NAME.
 */
export default async function HealthPage({ params, searchParams }: { params?: Promise<{ season?: string }>; searchParams: SearchParams }) {
  const { base } = await enterSeason(params);
  const v = await viewParams(searchParams);
  const onlyBad = 'bad' in v.raw;
  const participants = cached('participants', () => listParticipantViews(db()));
  // `?anon`: the same names as everywhere else ("Participant N", config order), no links to named pages.
  const who = new Map(participants.map((p, i) => [p.id, v.anon ? { name: `Participant ${i + 1}`, dir: `participant${i + 1}` } : { name: p.name, dir: p.dirName }]));
  const all = healthSummaries().filter((x) => who.has(x.id));
  const listed = onlyBad ? all.filter((x) => x.level !== 'ok') : all;
  const pages = Math.max(1, Math.ceil(listed.length / PER_PAGE));
  const page = Math.min(v.page, pages);
  const shown = listed.slice((page - 1) * PER_PAGE, page * PER_PAGE);
  // The board's news that did not reach its target (the newest problem of each target), for the operator.
  const news = cached('news-delivery', () => deliveryProblems(db())).filter((n) => n.status !== 'sent');
  return (
    <>
      <h1>Health</h1>
      <div className="settings">
        <Link className={onlyBad ? '' : 'active'} href={`${base}/health`}>
          All participants
        </Link>
        <Link className={onlyBad ? 'active' : ''} href={`${base}/health?bad`}>
          Bad only
        </Link>
        <span className="muted">
          {all.filter((x) => x.level === 'error').length} with errors, {all.filter((x) => x.level === 'warning').length} with warnings, {all.length} in all
        </span>
      </div>
      {news.length ? (
        <section data-testid="news-delivery" className="health-card">
          <h2>
            News delivery <span className={`badge ${news.some((n) => n.status === 'failed') ? 'error' : 'warning'}`}>{news.some((n) => n.status === 'failed') ? 'failed' : 'retrying'}</span>
          </h2>
          <ul className="problems">
            {news.map((n) => (
              <li key={n.target} data-testid={`news-${n.target}`}>
                <code>{n.target}</code>: {n.lastError} · {n.attempts} attempt{n.attempts === 1 ? '' : 's'} ·{' '}
                {n.status === 'failed' ? 'given up' : n.status === 'pending' ? `next try ${dateTime(n.nextAt)} UTC` : `delivered later`}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {shown.length === 0 ? <p className="muted">Nothing to show.</p> : null}
      <Pager page={page} perPage={PER_PAGE} total={listed.length} noun="Participants" href={(n) => withParams(`${base}/health`, v.raw, pageParam(n))} />
      {shown.map((x) => {
        const { name, dir } = who.get(x.id)!;
        const href = `${base}/health/${encodeURIComponent(name)}`;
        return (
          <section key={x.id} data-testid={`health-${dir}`} className={x.level === 'ok' ? 'health-ok' : 'health-card'}>
            <h2>
              {v.anon ? name : <Link href={href}>{name}</Link>} <span className={`badge ${x.level}`}>{x.level}</span>
              {x.level === 'ok' ? <span className="muted"> repository, config, image and every day</span> : null}
            </h2>
            {x.problems.length ? (
              <ul className="problems">
                {x.problems.map((pr) => (
                  <li key={`${pr.day}:${pr.text}`} data-testid={pr.day ? `health-day-${pr.day}` : 'health-participant'}>
                    <span className={`badge ${pr.level}`}>{pr.day ? `day ${pr.day}` : pr.level}</span> {pr.text}
                  </li>
                ))}
                {x.more ? <li className="muted">and {x.more} more{v.anon ? '' : <> on <Link href={href}>{name}&apos;s health page</Link></>}</li> : null}
              </ul>
            ) : null}
          </section>
        );
      })}
    </>
  );
}
