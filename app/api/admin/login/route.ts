import { FailureLimiter } from '../../../../lib/rate-limit.ts';
import { checkPassword } from '../../../../lib/session.ts';
import { adminPassword, clientKey, startSession } from '../../../_lib/admin.ts';
import { BodyTooLarge, readForm, SMALL_BODY, tooLarge } from '../../../_lib/body.ts';

export const dynamic = 'force-dynamic';

/** 5 wrong passwords per client and 30 overall in 15 minutes; then 429 until the window moves on. */
const limiter = new FailureLimiter({ perClient: 5, overall: 30, windowMs: 15 * 60_000 });

const back = (q: string, cookie?: string) =>
  new Response(null, { status: 303, headers: { location: `/admin${q}`, ...(cookie ? { 'set-cookie': cookie } : {}) } });

export async function POST(req: Request) {
  const client = clientKey(req);
  // Checked before the password: a client over the limit learns nothing from further guesses.
  const wait = limiter.retryAfter(client);
  if (wait) return Response.json({ error: `too many failed sign-ins; try again in ${wait} s` }, { status: 429, headers: { 'retry-after': String(wait) } });
  let form: FormData;
  try {
    form = await readForm(req, SMALL_BODY);
  } catch (e) {
    return e instanceof BodyTooLarge ? tooLarge(e) : back('?error=bad%20request');
  }
  if (!checkPassword(String(form.get('password') ?? ''), adminPassword())) {
    limiter.fail(client);
    return back('?error=wrong%20password');
  }
  limiter.succeed(client);
  return back('', startSession(req));
}
