import { aocbenchResults } from '../../../../lib/export.ts';
import { exportRows } from '../../../_lib/exports.ts';

export const dynamic = 'force-dynamic';

export function GET() {
  const x = exportRows();
  const hardware = x.hardware ? Object.entries(x.hardware.hardware).map(([k, v]) => `${k}: ${String(v)}`).join('\n') : '';
  return Response.json(aocbenchResults(x.participants, x.current, x.history, { lastUpdate: x.lastUpdate, hardware }));
}
