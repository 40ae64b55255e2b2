import { requestRun } from '../../../../db/queries/jobs.ts';
import { bearer, roleOf } from '../../../_lib/auth.ts';
import { BodyTooLarge, readJson, SMALL_BODY, tooLarge } from '../../../_lib/body.ts';
import { db, everySeasonDb, instance, invalidate } from '../../../_lib/data.ts';
import { everySeason } from '../../../../lib/seasons.ts';

export const dynamic = 'force-dynamic';

/** `POST {"participant"?, "day"?, "force"?, "kind"?: "bench"|"matrix"}` with the admin token → 202 and the job id. */
export async function POST(req: Request) {
  if (roleOf(bearer(req)) !== 'admin') return Response.json({ error: 'the admin token is required (Authorization: Bearer <token>)' }, { status: 401 });
  let body: unknown;
  try {
    body = await readJson(req, SMALL_BODY);
  } catch (e) {
    if (e instanceof BodyTooLarge) return tooLarge(e);
    body = undefined;
  }
  const queued = requestRun(everySeasonDb(), everySeason(instance().all), body, 'api');
  if (!queued.ok) return Response.json({ error: queued.error }, { status: queued.status });
  invalidate();
  return Response.json({ id: queued.id, status: 'queued', ...queued.value }, { status: 202 });
}
