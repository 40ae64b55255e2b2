import { notFound } from 'next/navigation';
import { listHistoryViews, listParticipantViews, listResultViewsOf, type ResultView } from '../../../db/queries/views.ts';
import { formatDiff, formatTime, methodValue, shortHash, unitLabel, unitScale, type Unit } from '../../../lib/format.ts';
import { classLabel, classOf } from '../../../lib/hardware-class.ts';
import { counts, participantStanding, TIMED_STATUSES } from '../../../lib/leaderboard.ts';
import { repoWebUrl } from '../../../lib/repo-links.ts';
import { cpuText, formatMemory } from '../../../lib/usage.ts';
import { HistoryChart, type HistoryPoint } from '../../_components/HistoryChart.tsx';
import { esc } from '../../_components/leaderboard-html.ts';
import { RawHtml } from '../../_components/RawHtml.tsx';
import { RemovedMark } from '../../_components/RemovedMark.tsx';
import { Settings } from '../../_components/Settings.tsx';
import { classView } from '../../_lib/classes.ts';
import { db, instance } from '../../_lib/data.ts';
import { enterSeason } from '../../_lib/season.ts';
import { viewParams, type SearchParams } from '../../_lib/params.ts';
import { nameTitle } from '../../_lib/titles.ts';
import { dateTime } from '../../_lib/participants.ts';
import { loadHealth } from '../../health/load.ts';
import { rankingOf } from '../../_lib/board.ts';

export const generateMetadata = nameTitle((n) => n, 'A participant');

/** A day's results, newest first, as markup: sent once (RawHtml); 25 days of 10 versions as React elements were twice the size. */
function versionsHtml(rows: ResultView[], unit: Unit, mixed: boolean): string {
  const td = (label: string, html: string, cls = '', testId = '') => `<td${cls ? ` class='${cls}'` : ''} data-label='${label}'${testId ? ` data-testid='${testId}'` : ''}>${html}</td>`;
  const tr = rows.map(
    (h) =>
      '<tr>' +
      td('When', esc(dateTime(h.runAt))) +
      td('Code version', `<code title='${esc(h.version)}' data-testid='code-version'>${esc(shortHash(h.version))}</code>`) +
      td('Verdict', `<span class='badge ${esc(h.status)}'>${esc(h.status)}</span>`) +
      td('Median', h.medianMs !== null ? esc(formatTime(h.medianMs, unit)) : '', 'time') +
      td('Min – max', h.minMs !== null && h.maxMs !== null ? esc(`${formatTime(h.minMs, unit)} – ${formatTime(h.maxMs, unit)}`) : '', 'time') +
      td('Runs', String(h.samples), 'time') +
      td('Peak memory', h.peakMemoryKb !== null ? esc(formatMemory(h.peakMemoryKb)) : '', 'time', 'peak-memory') +
      td('CPU time', esc(cpuText(h, unit)), 'time') +
      (mixed ? td('Hardware class', esc(classLabel(classOf(h.env))), '', 'result-class') : '') +
      '</tr>',
  );
  const head = ['When', 'Code version', 'Verdict', 'Median', 'Min – max', 'Runs', 'Peak memory', 'CPU time', ...(mixed ? ['Hardware class'] : [])].map((h) => `<th>${h}</th>`).join('');
  return `<table class='grid stack'><thead><tr>${head}</tr></thead><tbody>${tr.join('')}</tbody></table>`;
}

export default async function ParticipantPage({ params, searchParams }: { params: Promise<{ name: string; season?: string }>; searchParams: SearchParams }) {
  const { base, year, years } = await enterSeason(params);
  const name = decodeURIComponent((await params).name);
  const v = await viewParams(searchParams);
  const p = listParticipantViews(db()).find((x) => x.name === name);
  if (!p) notFound();
  const current = listResultViewsOf(db(), [p.id]);
  const history = listHistoryViews(db(), p.id);
  const f = unitScale(v.unit);
  const web = repoWebUrl(p.repo);
  const healthOf = loadHealth(p.name)[0];
  const health = healthOf?.level ?? 'warning';
  const place = participantStanding(rankingOf(v), p.id);
  const why = (day: number) => healthOf?.h.results.find((x) => x.day === day)?.message ?? null;
  // All of the participant's results, whatever measured them; where hardware classes differ (the instance's or this history's), each says its class.
  const mixed = classView(v).choice !== null || new Set([...current, ...history].map((r) => classOf(r.env))).size > 1;
  return (
    <>
      <h1>{p.name}</h1>
      <dl className="kv">
        <dt>Repository</dt>
        <dd>{web ? <a href={web}>{p.repo}</a> : p.repo}</dd>
        <dt>Branch</dt>
        <dd>{p.branch ?? 'default'}</dd>
        <dt>Language</dt>
        <dd>{p.language ?? '—'}</dd>
        <dt>Health</dt>
        <dd>
          {/* The level /health/<name> shows: the worst of its repository, config, image and days. */}
          <a href={`${base}/health/${encodeURIComponent(p.name)}`} className={`badge ${health}`} data-testid="participant-health">
            {health}
          </a>
        </dd>
        {years.length > 1 ? (
          <>
            <dt>Seasons</dt>
            <dd>
              {year} · <a href={`/seasons/${encodeURIComponent(p.name)}`} data-testid="all-seasons">every season</a>
            </dd>
          </>
        ) : null}
      </dl>
      {place ? (
        <p className="summary" data-testid="participant-summary">
          Rank <strong>{place.rank}</strong> of {place.of}
          {instance().config.podium ? <> · <strong>{place.points}</strong> points</> : null} · runtime {place.runtime === null ? '—' : `${formatTime(place.runtime, v.unit)}${place.complete ? '' : '*'}`}
        </p>
      ) : null}
      <Settings path={`${base}/participants/${encodeURIComponent(p.name)}`} v={v} />
      {current.sort((a, b) => a.day - b.day).map((r) => {
        const past = history.filter((h) => h.day === r.day).reverse();
        const points: HistoryPoint[] = [...past, r].map((h) => {
          const ok = TIMED_STATUSES.has(h.status);
          return {
            label: `${dateTime(h.runAt).slice(5)} ${h.version.slice(-6)}`,
            median: ok && h.medianMs !== null ? h.medianMs * f : null,
            band: ok && h.minMs !== null && h.maxMs !== null ? [h.minMs * f, h.maxMs * f] : null,
          };
        });
        const value = counts(r) ? methodValue(r, v.method) : null;
        return (
          <section key={r.day} data-testid={`participant-day-${r.day}`}>
            <h2>
              Day {r.day}: <span className={`badge ${r.status}`}>{r.status}</span> {value !== null ? formatTime(value, v.unit) : ''}
              {r.removedAt ? <RemovedMark at={r.removedAt} /> : null}
              {mixed ? <span className="muted"> (class {classLabel(classOf(r.env))})</span> : null}
              {place?.places.has(r.day) ? (
                <span className="muted" data-testid="day-place">
                  {' '}· place {place.places.get(r.day)!.place}
                  {place.places.get(r.day)!.tied ? '=' : ''} of {place.places.get(r.day)!.of}
                  {value !== null && value > place.places.get(r.day)!.leader ? <span data-testid="day-gap"> · {formatDiff(value - place.places.get(r.day)!.leader, v.unit)} from first</span> : null}
                </span>
              ) : null}
            </h2>
            {!TIMED_STATUSES.has(r.status) ? (
              <p className="note" data-testid="day-reason">
                {why(r.day) ?? r.status} · <a href={`${base}/health/${encodeURIComponent(p.name)}`}>health of this day</a>
              </p>
            ) : null}
            {/* A chart once there is a history to draw: one dot says nothing the table does not. */}
            {points.filter((x) => x.median !== null).length > 1 ? <HistoryChart points={points} unitLabel={unitLabel(v.unit)} /> : null}
            <RawHtml html={versionsHtml([r, ...history.filter((h) => h.day === r.day)], v.unit, mixed)} />
          </section>
        );
      })}
    </>
  );
}
