import { timesExport } from '../../../lib/export.ts';
import { cached } from '../../_lib/data.ts';
import { exportRows } from '../../_lib/exports.ts';

export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json(cached('times.json', () => {
    const x = exportRows();
    return timesExport(x.participants, x.current);
  }));
}
