import { listParticipantViews, lastUpdate } from '../../../../db/queries/views.ts';
import { listAllHistory, listDayResults } from '../../../../db/queries/results.ts';
import { resultsExport } from '../../../../lib/export.ts';
import { askedSeason, cached, db, instance } from '../../../_lib/data.ts';

export const dynamic = 'force-dynamic';

/** One participant's part of /api/results.json: every day's result, samples and history. */
export async function GET(req: Request, { params }: { params: Promise<{ name: string }> }) {
  const name = decodeURIComponent((await params).name).replace(/\.json$/, '');
  // `?season=YEAR`: that season's results (the newest's by default).
  const season = askedSeason(new URL(req.url));
  const p = season === null ? undefined : cached('participants', () => listParticipantViews(db(season)), season).find((x) => x.name === name);
  if (!p || season === null) return Response.json({ error: 'no such participant' }, { status: 404 });
  const meta = { year: season, lastUpdate: lastUpdate(db(season)) };
  const doc = resultsExport([p], listDayResults(db(season), [p.id]), listAllHistory(db(season), [p.id]), meta);
  return Response.json({ year: doc.year, lastUpdate: doc.lastUpdate, ...doc.participants[0] });
}
