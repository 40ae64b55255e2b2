import { listDayResults } from '../../../db/queries/results.ts';
import { listParticipantViews } from '../../../db/queries/views.ts';
import { timesExport } from '../../../lib/export.ts';
import { cached, db } from '../../_lib/data.ts';

export const dynamic = 'force-dynamic';

/** AoCBench's times.json: current results only (the history is not read). */
export function GET() {
  return Response.json(cached('times.json', () => timesExport(listParticipantViews(db()), listDayResults(db()))));
}
