import Link from 'next/link';
import { listHistoryViews, listParticipantViews, listResultViews } from '../db/queries/views.ts';
import { formatTime } from '../lib/format.ts';
import { buildLeaderboard, type LbCell } from '../lib/leaderboard.ts';
import { Settings } from './_components/Settings.tsx';
import { db, instance } from './_lib/data.ts';
import { viewParams, withParams, type SearchParams } from './_lib/params.ts';
import { allLanguages, dateTime, visibleParticipants } from './_lib/participants.ts';

const VERDICT_LABEL: Record<string, string> = {
  wrong: 'wrong', error: 'error', timeout: 'timeout', oom: 'out of memory', 'output-limit': 'output limit',
};

function Cell({ c, unit }: { c: LbCell; unit: 'ms' | 's' | 'us' }) {
  if (!c.result) return <td className="time" data-testid={`cell-${c.participantId}`} />;
  if (c.value === null) {
    return (
      <td className="failed" data-testid={`cell-${c.participantId}`} title={c.result.status}>
        {VERDICT_LABEL[c.result.status] ?? c.result.status}
      </td>
    );
  }
  const r = c.result;
  const tip = [
    `Min: ${formatTime(r.minMs!, unit)}`, `Max: ${formatTime(r.maxMs!, unit)}`,
    `95% CI of the median: ${formatTime(r.ciLowMs!, unit)} – ${formatTime(r.ciHighMs!, unit)}`,
    `${r.samples} runs, ${dateTime(r.runAt)}`, r.status === 'unchecked' ? 'answers unknown: not checked' : '',
  ].filter(Boolean).join('\n');
  const histTip = c.history.map((h) => `${dateTime(h.runAt)} (${h.version.slice(-8)}): ${h.value === null ? h.status : formatTime(h.value, unit)}`).join('\n');
  return (
    <td className={`time ${c.medal ?? ''} ${c.best ? 'best' : ''}`} data-testid={`cell-${c.participantId}`} data-ms={c.value} data-medal={c.medal ?? ''}>
      {c.history.length ? <span className="hist" title={`Previous results:\n${histTip}`}>📈</span> : null}
      <span title={tip}>{c.codeUrl ? <a href={c.codeUrl}>{formatTime(c.value, unit)}</a> : formatTime(c.value, unit)}</span>
    </td>
  );
}

export default async function LeaderboardPage({ searchParams }: { searchParams: SearchParams }) {
  const v = await viewParams(searchParams);
  const inst = instance().config;
  const all = listParticipantViews(db());
  const participants = visibleParticipants(all, v);
  const lb = buildLeaderboard({
    participants, results: listResultViews(db()), history: listHistoryViews(db()), method: v.method, podium: inst.podium, year: inst.year,
  });
  return (
    <>
      <h1>Leaderboard</h1>
      <Settings path="/" v={v} languages={allLanguages(all)} />
      {lb.rows.length === 0 ? (
        <p className="muted">No results yet. Run <code>aocbench bench</code>.</p>
      ) : (
        <div className="scroll">
          <table className="grid" data-testid="leaderboard">
            <thead>
              <tr>
                <th />
                {lb.columns.map((p) => (
                  <th key={p.id} data-testid={`col-${p.id}`}>
                    <div className="participant-head">
                      {v.anon ? p.name : <Link href={`/participants/${encodeURIComponent(p.name)}`}>{p.name}</Link>}
                      {p.language ? <span className="sub">{p.language}</span> : null}
                      {p.subheading ? <span className="sub">{p.subheading}</span> : null}
                    </div>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {lb.rows.map((row) => (
                <tr key={row.day} data-testid={`day-${row.day}`}>
                  <th className="day">
                    <Link href={withParams(`/days/${row.day}`, v.raw, {})}>Day {row.day}</Link>{' '}
                    <a className="muted" href={`https://adventofcode.com/${inst.year}/day/${row.day}`} title="Puzzle">
                      ↗
                    </a>
                  </th>
                  {row.cells.map((c) => (
                    <Cell key={c.participantId} c={c} unit={v.unit} />
                  ))}
                </tr>
              ))}
              {inst.podium ? (
                <tr className="total" data-testid="points">
                  <th className="day">Points</th>
                  {lb.columns.map((p) => (
                    <td key={p.id} className={`time ${lb.pointsMedals.get(p.id) ?? ''}`} data-medal={lb.pointsMedals.get(p.id) ?? ''}>
                      {lb.points.get(p.id) ?? 0}
                    </td>
                  ))}
                </tr>
              ) : null}
              <tr className="total" data-testid="runtime">
                <th className="day">Runtime</th>
                {lb.columns.map((p) => {
                  const medal = lb.runtimeMedals.get(p.id);
                  const cls = inst.podium ? (medal ?? '') : medal === 'gold' ? 'best' : '';
                  return (
                    <td key={p.id} className={`time ${cls}`} title={lb.complete.has(p.id) ? '' : 'not every day completed'}>
                      {formatTime(lb.runtime.get(p.id) ?? 0, v.unit)}
                      {lb.complete.has(p.id) ? '' : '*'}
                    </td>
                  );
                })}
              </tr>
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">
        Cells show the {v.method} of each day&apos;s timed runs; hover for min, max, the median&apos;s 95% confidence interval and the run count.
        {inst.podium ? ' Podium: 4, 3 and 2 points for the three fastest times of a day, 1 for any other correct result; * = not every day completed (no medal).' : ''}
      </p>
    </>
  );
}
