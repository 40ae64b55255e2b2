import { resultsExport } from '../../../lib/export.ts';
import { cached, instance } from '../../_lib/data.ts';
import { exportRows } from '../../_lib/exports.ts';

export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json(cached('results.json', () => {
    const x = exportRows();
    return resultsExport(x.participants, x.current, x.history, { year: instance().config.year, lastUpdate: x.lastUpdate });
  }));
}
