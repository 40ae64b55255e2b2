import { adminForm, endSession } from '../../../_lib/admin.ts';

export const dynamic = 'force-dynamic';

/** Ends the session on the server: the cookie stops working everywhere, not just in this browser. */
export async function POST(req: Request) {
  const posted = await adminForm(req);
  if (posted instanceof Response) return posted;
  return new Response(null, { status: 303, headers: { location: '/admin', 'set-cookie': endSession(req, posted.session) } });
}
