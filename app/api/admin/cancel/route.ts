import { cancelJob } from '../../../../db/queries/jobs.ts';
import { adminForm } from '../../../_lib/admin.ts';
import { db, invalidate } from '../../../_lib/data.ts';

export const dynamic = 'force-dynamic';

export async function POST(req: Request) {
  const posted = await adminForm(req);
  if (posted instanceof Response) return posted;
  const { form } = posted;
  const ok = cancelJob(db(), Number(form.get('id')));
  invalidate();
  return new Response(null, { status: 303, headers: { location: ok ? '/admin' : '/admin?error=only%20queued%20jobs%20can%20be%20cancelled' } });
}
