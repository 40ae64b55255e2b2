import { timesExport } from '../../../lib/export.ts';
import { exportRows } from '../../_lib/exports.ts';

export const dynamic = 'force-dynamic';

export function GET() {
  const x = exportRows();
  return Response.json(timesExport(x.participants, x.current));
}
