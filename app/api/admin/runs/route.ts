import { enqueueJob } from '../../../../db/queries/jobs.ts';
import { checkRunRequest } from '../../../../lib/trigger.ts';
import { bearer, roleOf } from '../../../_lib/auth.ts';
import { db, instance, invalidate } from '../../../_lib/data.ts';

export const dynamic = 'force-dynamic';

/** `POST {"participant"?, "day"?, "force"?, "kind"?: "bench"|"matrix"}` with the admin token → 202 and the job id. */
export async function POST(req: Request) {
  if (roleOf(bearer(req)) !== 'admin') return Response.json({ error: 'the admin token is required (Authorization: Bearer <token>)' }, { status: 401 });
  const body = await req.json().catch(() => undefined);
  const cfg = instance().config;
  const checked = checkRunRequest(body, { participants: cfg.participants.map((p) => p.name), days: cfg.days });
  if (!checked.ok) return Response.json({ error: checked.error }, { status: checked.status });
  const id = enqueueJob(db(), { ...checked.value, requestedBy: 'api' });
  invalidate();
  return Response.json({ id, status: 'queued', ...checked.value }, { status: 202 });
}
