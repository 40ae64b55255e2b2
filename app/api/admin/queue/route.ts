import { enqueueJob } from '../../../../db/queries/jobs.ts';
import { checkRunRequest } from '../../../../lib/trigger.ts';
import { adminForm } from '../../../_lib/admin.ts';
import { db, instance, invalidate } from '../../../_lib/data.ts';

export const dynamic = 'force-dynamic';

/** The admin page's "queue a re-run" form. */
export async function POST(req: Request) {
  const posted = await adminForm(req);
  if (posted instanceof Response) return posted;
  const { form } = posted;
  const cfg = instance().config;
  const participant = String(form.get('participant') ?? '') || undefined;
  const day = String(form.get('day') ?? '').trim();
  const checked = checkRunRequest(
    { kind: String(form.get('kind') ?? 'bench'), participant, day: day ? Number(day) : undefined, force: form.get('force') === 'on' },
    { participants: cfg.participants.map((p) => p.name), days: cfg.days },
  );
  if (!checked.ok) return new Response(null, { status: 303, headers: { location: `/admin?error=${encodeURIComponent(checked.error)}` } });
  const id = enqueueJob(db(), { ...checked.value, requestedBy: 'admin' });
  invalidate();
  return new Response(null, { status: 303, headers: { location: `/admin?queued=${id}` } });
}
