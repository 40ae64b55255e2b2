import { checkPassword, newSession } from '../../../../lib/session.ts';
import { COOKIE, sessionSecret } from '../../../_lib/admin.ts';
import { instance } from '../../../_lib/data.ts';

export const dynamic = 'force-dynamic';

const back = (q: string, cookie?: string) =>
  new Response(null, { status: 303, headers: { location: `/admin${q}`, ...(cookie ? { 'set-cookie': cookie } : {}) } });

export async function POST(req: Request) {
  const form = await req.formData();
  const password = String(form.get('password') ?? '');
  const ok = checkPassword(password, { plain: process.env.AOCBENCH_ADMIN_PASSWORD, hash: instance().config.admin.passwordHash });
  if (!ok) return back('?error=wrong%20password');
  const { cookie } = newSession(sessionSecret());
  const secure = new URL(req.url).protocol === 'https:' ? '; Secure' : '';
  return back('', `${COOKIE}=${cookie}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200${secure}`);
}
