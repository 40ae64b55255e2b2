import { aocbenchResults } from '../../../../lib/export.ts';
import { cached } from '../../../_lib/data.ts';
import { exportRows } from '../../../_lib/exports.ts';

export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json(cached('aocbench-results.json', () => {
    const x = exportRows();
    const hardware = x.hardware ? Object.entries(x.hardware.hardware).map(([k, v]) => `${k}: ${String(v)}`).join('\n') : '';
    return aocbenchResults(x.participants, x.current, x.history, { lastUpdate: x.lastUpdate, hardware });
  }));
}
