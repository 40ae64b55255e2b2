import { liveStatus } from '../../../db/queries/live.ts';
import { db } from '../../_lib/data.ts';

export const dynamic = 'force-dynamic';

/** Live status for the banner and the page refresh when server-sent events are not available: `version` changes when results land. */
export function GET() {
  return Response.json(liveStatus(db()));
}
