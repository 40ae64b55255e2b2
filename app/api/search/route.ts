import { nameIndex, searchNames } from '../../../db/queries/search.ts';
import { askedSeason, cached, db, instance } from '../../_lib/data.ts';

export const dynamic = 'force-dynamic';

/** `?q=TEXT[&anon]`: participants whose name holds TEXT, best placed first (`aocbench web` answers this itself, without a render). */
export function GET(req: Request) {
  const url = new URL(req.url);
  const q = url.searchParams;
  const season = askedSeason(url);
  if (season === null) return Response.json([], { headers: { 'cache-control': 'no-store' } });
  const index = cached('name-index', () => nameIndex(db(season), instance(season).config.queue?.hardwareClass), season);
  return Response.json(searchNames(index, q.get('q') ?? '', q.has('anon')), { headers: { 'cache-control': 'no-store' } });
}
