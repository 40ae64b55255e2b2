import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { resultsReply } from '../../_lib/results-file.ts';

export const dynamic = 'force-dynamic';

/**
 * Everything, with every sample and the history: streamed from a file written
 * once per content version (app/_lib/results-file.ts); 304 for a client that
 * has this version. `aocbench web` answers this URL itself, sending the file
 * gzipped as it is (app/_server/serve.ts); here (plain `next start`) it is
 * unpacked on the way. Smaller pieces: /api/participants/NAME and /api/days/N.
 */
export async function GET(req: Request) {
  const r = await resultsReply(new URL(req.url).searchParams.has('anon'), req.headers.get('if-none-match'), false);
  if (!r.file) return new Response(null, { status: r.status, headers: r.headers });
  return new Response(Readable.toWeb(createReadStream(r.file).pipe(createGunzip())) as ReadableStream, { headers: r.headers });
}
