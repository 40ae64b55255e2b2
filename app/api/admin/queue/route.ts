import { requestRun } from '../../../../db/queries/jobs.ts';
import { adminForm } from '../../../_lib/admin.ts';
import { db, everySeasonDb, instance, invalidate } from '../../../_lib/data.ts';
import { everySeason } from '../../../../lib/seasons.ts';

export const dynamic = 'force-dynamic';

/** The admin page's "queue a re-run" form. */
export async function POST(req: Request) {
  const posted = await adminForm(req);
  if (posted instanceof Response) return posted;
  const { form } = posted;
  const participant = String(form.get('participant') ?? '') || undefined;
  const day = String(form.get('day') ?? '').trim();
  const asked = { kind: String(form.get('kind') ?? 'bench'), participant, day: day ? Number(day) : undefined, force: form.get('force') === 'on' };
  const queued = requestRun(everySeasonDb(), everySeason(instance().all), asked, 'admin');
  if (!queued.ok) return new Response(null, { status: 303, headers: { location: `/admin?error=${encodeURIComponent(queued.error)}` } });
  invalidate();
  return new Response(null, { status: 303, headers: { location: `/admin?queued=${queued.id}` } });
}
