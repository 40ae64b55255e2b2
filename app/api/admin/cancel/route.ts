import { cancelJob } from '../../../../db/queries/jobs.ts';
import { checkForm } from '../../../_lib/admin.ts';
import { db, invalidate } from '../../../_lib/data.ts';

export const dynamic = 'force-dynamic';

export async function POST(req: Request) {
  const form = await req.formData();
  if (!(await checkForm(req, form))) return Response.json({ error: 'not signed in, or a bad CSRF token' }, { status: 403 });
  const ok = cancelJob(db(), Number(form.get('id')));
  invalidate();
  return new Response(null, { status: 303, headers: { location: ok ? '/admin' : '/admin?error=only%20queued%20jobs%20can%20be%20cancelled' } });
}
