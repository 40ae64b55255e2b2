import { nameIndex, searchNames } from '../../../db/queries/search.ts';
import { cached, db, instance } from '../../_lib/data.ts';

export const dynamic = 'force-dynamic';

/** `?q=TEXT[&anon]`: participants whose name holds TEXT, best placed first (`aocbench web` answers this itself, without a render). */
export function GET(req: Request) {
  const q = new URL(req.url).searchParams;
  const index = cached('name-index', () => nameIndex(db(), instance().config.queue?.hardwareClass));
  return Response.json(searchNames(index, q.get('q') ?? '', q.has('anon')), { headers: { 'cache-control': 'no-store' } });
}
