import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { exportKindOf, exportReply } from './results-file.ts';

/**
 * A whole-board export as a Next.js route answers it (plain `next start`):
 * from the version's file, unpacked on the way (Next.js compresses on its
 * own). `aocbench web` answers these URLs itself and sends the file gzipped
 * as it is (app/_server/results-export.ts).
 */
export async function exportResponse(req: Request): Promise<Response> {
  const doc = exportKindOf(req.url);
  if (!doc) return Response.json({ error: 'no such season' }, { status: 404 });
  const r = await exportReply(doc, req.headers.get('if-none-match'), false);
  if (!r.file) return new Response(null, { status: r.status, headers: r.headers });
  return new Response(Readable.toWeb(createReadStream(r.file).pipe(createGunzip())) as ReadableStream, { headers: r.headers });
}
