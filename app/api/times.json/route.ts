import { listDayResults } from '../../../db/queries/results.ts';
import { listParticipantViews } from '../../../db/queries/views.ts';
import { timesExport } from '../../../lib/export.ts';
import { askedSeason, cached, db } from '../../_lib/data.ts';

export const dynamic = 'force-dynamic';

/** AoCBench's times.json: current results only (the history is not read). */
export function GET(req: Request) {
  const season = askedSeason(new URL(req.url));
  if (season === null) return Response.json({ error: 'no such season' }, { status: 404 });
  return Response.json(cached('times.json', () => timesExport(listParticipantViews(db(season)), listDayResults(db(season))), season));
}
