import { resultsExport } from '../../../lib/export.ts';
import { instance } from '../../_lib/data.ts';
import { exportRows } from '../../_lib/exports.ts';

export const dynamic = 'force-dynamic';

export function GET() {
  const x = exportRows();
  return Response.json(resultsExport(x.participants, x.current, x.history, { year: instance().config.year, lastUpdate: x.lastUpdate }));
}
