import Link from 'next/link';
import { notFound } from 'next/navigation';
import { formatTime } from '../../../lib/format.ts';
import { resultsIn, seasonBoards, seasonEntryOf } from '../../_lib/seasons-view.ts';
import { viewParams, type SearchParams } from '../../_lib/params.ts';
import { nameTitle } from '../../_lib/titles.ts';

export const generateMetadata = nameTitle((n) => `${n} in every season`, 'A participant in every season');

/** One participant across years: each season they took part in, its standing and every day's verdict and time. */
export default async function ParticipantSeasonsPage({ params, searchParams }: { params: Promise<{ name: string }>; searchParams: SearchParams }) {
  const name = decodeURIComponent((await params).name);
  const v = await viewParams(searchParams);
  const seasons = seasonBoards().flatMap((b) => {
    const p = b.participants.find((x) => x.name === name);
    return p ? [{ b, p, entry: seasonEntryOf(b, p), results: resultsIn(b, p) }] : [];
  });
  if (!seasons.length) notFound();
  return (
    <>
      <h1>{name}: every season</h1>
      <p data-testid="seasons-summary">
        {seasons.length} season{seasons.length === 1 ? '' : 's'} ({seasons.map((s) => s.b.year).join(', ')}) · {seasons.reduce((a, s) => a + s.entry.solved, 0)} days with a time
      </p>
      {seasons.map(({ b, p, entry, results }) => (
        <section key={b.year} data-testid={`season-${b.year}`}>
          <h2>
            <Link href={`${b.base}/participants/${encodeURIComponent(p.name)}`}>{b.year}</Link>
          </h2>
          <p className="muted">
            {entry.standing ? `Rank ${entry.standing.rank} of ${entry.standing.of} · ${entry.standing.points} points · ${entry.golds} gold` : 'Not ranked'} · {entry.solved} of {b.days} days with a time
          </p>
          {results.length ? (
            <table className="grid stack">
              <thead>
                <tr>
                  <th>Day</th>
                  <th>Verdict</th>
                  <th>Median</th>
                  <th>Place</th>
                </tr>
              </thead>
              <tbody>
                {results.map((r) => {
                  const place = entry.standing?.places.get(r.day);
                  return (
                    <tr key={r.day} data-testid={`season-${b.year}-day-${r.day}`}>
                      <th className="day" data-label="Day">
                        <Link href={`${b.base}/days/${r.day}`}>Day {r.day}</Link>
                      </th>
                      <td data-label="Verdict">{r.removedAt ? 'removed' : r.status}</td>
                      <td data-label="Median" className="time">{r.medianMs === null ? '—' : formatTime(r.medianMs, v.unit)}</td>
                      <td data-label="Place">{place ? `${place.place} of ${place.of}${place.tied ? ' =' : ''}` : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : (
            <p className="muted">No results yet.</p>
          )}
        </section>
      ))}
    </>
  );
}
