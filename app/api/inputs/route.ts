import { addCustomInput, customInputTaken, listCustomInputs, listMatrixStatuses } from '../../../db/queries/matrix.ts';
import { checkSubmission, type Submission } from '../../../lib/custom-input.ts';
import { customInputName } from '../../../lib/matrix.ts';
import { adminSession, sameOrigin } from '../../_lib/admin.ts';
import { bearer, roleOf } from '../../_lib/auth.ts';
import { BodyTooLarge, readForm, readJson } from '../../_lib/body.ts';
import { askedSeason, db, instance, invalidate, seasonPage } from '../../_lib/data.ts';

export const dynamic = 'force-dynamic';

/** Custom inputs and whether the matrix has run them yet (no input text). */
export function GET(req: Request) {
  const admin = roleOf(bearer(req)) === 'admin';
  // `?season=YEAR`: that season's inputs (the newest's by default).
  const season = askedSeason(new URL(req.url));
  if (season === null) return Response.json({ error: 'no such season' }, { status: 404 });
  const ran = new Set(listMatrixStatuses(db(season)).map((c) => `${c.day}/${c.input}`));
  return Response.json(
    listCustomInputs(db(season), { includeHidden: admin }).map((c) => ({
      id: c.id, day: c.day, name: c.name, hidden: c.hidden, hasAnswers: c.part1 !== null || c.part2 !== null,
      status: ran.has(`${c.day}/${customInputName(c.name)}`) ? 'run' : 'queued', createdAt: new Date(c.createdAt).toISOString(),
    })),
  );
}

/** The submission, read with a limit that holds however the body is sent. */
async function readSubmission(req: Request, maxBytes: number): Promise<{ s: Submission; formToken: string | null; csrf?: string | null }> {
  // Room for the form's other fields and for JSON escapes of the input.
  const limit = maxBytes * 2 + 64 * 1024;
  const type = req.headers.get('content-type') ?? '';
  if (type.includes('application/json')) return { s: (await readJson(req, limit)) as Submission, formToken: null };
  const form = await readForm(req, limit);
  const file = form.get('file');
  let input: unknown = form.get('input');
  if (file instanceof File && file.size > 0) {
    // Decoding with fatal: true turns invalid UTF-8 into a rejection instead of silent replacement characters.
    const buf = new Uint8Array(await file.arrayBuffer());
    if (buf.length > maxBytes) input = 'x'.repeat(maxBytes + 1);
    else {
      try {
        input = new TextDecoder('utf-8', { fatal: true }).decode(buf);
      } catch {
        input = '\u0000';
      }
    }
  }
  const token = form.get('token');
  const csrf = form.get('csrf');
  return {
    s: { day: form.get('day'), name: form.get('name'), input, part1: form.get('part1'), part2: form.get('part2') },
    formToken: typeof token === 'string' && token ? token : null,
    csrf: typeof csrf === 'string' ? csrf : null,
  };
}

/** JSON for API clients; a form post from the submit page gets a redirect back with the outcome. */
function reply(req: Request, status: number, body: Record<string, unknown>): Response {
  if ((req.headers.get('accept') ?? '').includes('text/html')) {
    const q = status < 300 ? `submitted=${encodeURIComponent(String(body.name))}` : `error=${encodeURIComponent(String(body.error))}`;
    const season = askedSeason(new URL(req.url));
    return new Response(null, { status: 303, headers: { location: `${season === null ? '' : seasonPage(season).base}/matrix/submit?${q}` } });
  }
  return Response.json(body, { status });
}

const unauthorized = (req: Request) => reply(req, 401, { error: 'a valid submission token is required (Authorization: Bearer <token>)' });

export async function POST(req: Request) {
  // `?season=YEAR` (the submit page of an older season posts it): the input joins that season's matrix.
  const season = askedSeason(new URL(req.url));
  if (season === null) return reply(req, 404, { error: 'no such season' });
  const cfg = instance(season).config;
  const maxBytes = cfg.customInputs.maxKb * 1024;
  // A token in the header is checked before a byte of the body is read; the submit page's form carries it inside.
  const header = bearer(req);
  const isJson = (req.headers.get('content-type') ?? '').includes('application/json');
  if ((header !== null || isJson) && !roleOf(header)) return unauthorized(req);
  // A signed-in admin posting the submit page's form from this site: no token needed (the session's CSRF token is checked below).
  const session = header === null && !isJson && sameOrigin(req) ? await adminSession() : null;
  let parsed: { s: Submission; formToken: string | null; csrf?: string | null };
  try {
    parsed = await readSubmission(req, maxBytes);
  } catch (e) {
    if (e instanceof BodyTooLarge) return reply(req, 413, { error: `the request is larger than ${e.limit} bytes; inputs may be at most ${maxBytes} bytes` });
    return reply(req, 400, { error: 'the body is not valid JSON or form data' });
  }
  const role = session && parsed.csrf === session.csrf ? 'admin' : roleOf(header ?? parsed.formToken);
  if (!role) return unauthorized(req);
  const checked = checkSubmission(parsed.s, { days: cfg.days, maxBytes, taken: (d, n) => customInputTaken(db(season), d, n) });
  if (!checked.ok) return reply(req, checked.status, { error: checked.error });
  const id = addCustomInput(db(season), { ...checked.value, submittedBy: role });
  invalidate();
  return reply(req, 201, { id, day: checked.value.day, name: checked.value.name, status: 'queued' });
}
