import { deleteCustomInput, setCustomInputHidden } from '../../../../db/queries/matrix.ts';
import { bearer, roleOf } from '../../../_lib/auth.ts';
import { readJson, SMALL_BODY } from '../../../_lib/body.ts';
import { everySeasonDb, invalidate } from '../../../_lib/data.ts';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };

function adminOnly(req: Request): Response | null {
  return roleOf(bearer(req)) === 'admin' ? null : Response.json({ error: 'the admin token is required' }, { status: 401 });
}

/** `{"hidden": true|false}`: a hidden input leaves the matrix (its cells go on the next run). */
export async function PATCH(req: Request, { params }: Ctx) {
  const denied = adminOnly(req);
  if (denied) return denied;
  const body = (await readJson(req, SMALL_BODY).catch(() => null)) as { hidden?: unknown } | null;
  if (typeof body?.hidden !== 'boolean') return Response.json({ error: 'body must be {"hidden": true|false}' }, { status: 400 });
  if (!setCustomInputHidden(everySeasonDb(), Number((await params).id), body.hidden)) return Response.json({ error: 'no such input' }, { status: 404 });
  invalidate();
  return Response.json({ ok: true });
}

export async function DELETE(req: Request, { params }: Ctx) {
  const denied = adminOnly(req);
  if (denied) return denied;
  if (!deleteCustomInput(everySeasonDb(), Number((await params).id))) return Response.json({ error: 'no such input' }, { status: 404 });
  invalidate();
  return Response.json({ ok: true });
}
