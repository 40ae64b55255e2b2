import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { exportReply, type ExportDoc } from '../_lib/results-file.ts';

/**
 * A whole-board export as `aocbench web` serves it: the version's gzipped
 * file sent as it is to clients that take gzip (Next.js would compress it
 * again), unpacked on the way for the others; a slow client reads at its own
 * pace from the file, never from memory.
 */
export async function sendExport(kind: ExportDoc, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const r = await exportReply(kind, req.headers['if-none-match'], gzip);
  res.writeHead(r.status, r.headers);
  if (!r.file || req.method === 'HEAD') return void res.end();
  const file = createReadStream(r.file);
  await pipeline(...((gzip ? [file, res] : [file, createGunzip(), res]) as [NodeJS.ReadableStream, NodeJS.WritableStream])).catch(() => res.destroy());
}
