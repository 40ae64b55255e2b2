import { deleteCustomInput, setCustomInputHidden } from '../../../../db/queries/matrix.ts';
import { adminForm } from '../../../_lib/admin.ts';
import { everySeasonDb, invalidate } from '../../../_lib/data.ts';

export const dynamic = 'force-dynamic';

/** The admin page's buttons on a custom input: hide (it leaves the matrix on the next run), show again, delete. */
export async function POST(req: Request) {
  const posted = await adminForm(req);
  if (posted instanceof Response) return posted;
  const { form } = posted;
  const id = Number(form.get('id'));
  const action = String(form.get('action') ?? '');
  const ok = action === 'delete' ? deleteCustomInput(everySeasonDb(), id) : action === 'hide' || action === 'show' ? setCustomInputHidden(everySeasonDb(), id, action === 'hide') : false;
  invalidate();
  return new Response(null, { status: 303, headers: { location: ok ? '/admin#custom-inputs' : '/admin?error=no%20such%20custom%20input' } });
}
