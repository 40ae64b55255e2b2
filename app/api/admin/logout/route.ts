import { checkForm, COOKIE } from '../../../_lib/admin.ts';

export const dynamic = 'force-dynamic';

export async function POST(req: Request) {
  if (!(await checkForm(req, await req.formData()))) return Response.json({ error: 'not signed in, or a bad CSRF token' }, { status: 403 });
  return new Response(null, { status: 303, headers: { location: '/admin', 'set-cookie': `${COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0` } });
}
