import { listParticipantViews, lastUpdate } from '../../../../db/queries/views.ts';
import { listAllHistory, listDayResults } from '../../../../db/queries/results.ts';
import { resultsExport } from '../../../../lib/export.ts';
import { cached, db, instance } from '../../../_lib/data.ts';

export const dynamic = 'force-dynamic';

/** One participant's part of /api/results.json: every day's result, samples and history. */
export async function GET(_req: Request, { params }: { params: Promise<{ name: string }> }) {
  const name = decodeURIComponent((await params).name).replace(/\.json$/, '');
  const p = cached('participants', () => listParticipantViews(db())).find((x) => x.name === name);
  if (!p) return Response.json({ error: 'no such participant' }, { status: 404 });
  const meta = { year: instance().config.year, lastUpdate: lastUpdate(db()) };
  const doc = resultsExport([p], listDayResults(db(), [p.id]), listAllHistory(db(), [p.id]), meta);
  return Response.json({ year: doc.year, lastUpdate: doc.lastUpdate, ...doc.participants[0] });
}
