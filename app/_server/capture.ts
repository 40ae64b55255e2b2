import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { CachedPage } from './page-cache.ts';

/** Headers that describe one transfer, not the page. */
const HOP = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date', 'content-encoding', 'x-aocbench-cache']);

/**
 * Lets a response go to its client as usual while keeping a copy of it:
 * `done` gets the status, headers and body once Next.js has ended the
 * response, and its result (the stored page, or null) settles the returned
 * promise. A response closed before it ended settles it with null.
 */
export function captureResponse(
  res: ServerResponse,
  done: (status: number, headers: OutgoingHttpHeaders, body: Buffer) => CachedPage | null,
  /** A response larger than this is passed on but not kept: the copy stops growing there. */
  limit = 8 * 1024 * 1024,
): Promise<CachedPage | null> {
  let chunks: Buffer[] | null = [];
  let kept = 0;
  const keep = (b: Buffer) => {
    if (!chunks) return;
    kept += b.length;
    if (kept > limit) chunks = null;
    else chunks.push(b);
  };
  let headArgs: OutgoingHttpHeaders = {};
  const toBuffer = (chunk: unknown, enc?: unknown) =>
    Buffer.isBuffer(chunk) ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk) : Buffer.from(String(chunk), typeof enc === 'string' ? (enc as BufferEncoding) : 'utf8');
  const { writeHead, write, end } = res;

  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    // writeHead(status, [reason], [headers]): headers given here do not show in getHeaders().
    const h = rest.find((x) => typeof x === 'object' && x !== null);
    if (h && !Array.isArray(h)) headArgs = h as OutgoingHttpHeaders;
    return (writeHead as (...a: unknown[]) => ServerResponse).call(this, status, ...rest);
  } as ServerResponse['writeHead'];
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    if (chunk != null) keep(toBuffer(chunk, rest[0]));
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  return new Promise((resolve) => {
    let settled = false;
    // The page is complete once Next.js ends the response, however slowly its client reads it:
    // views waiting for this render must not wait for that client.
    res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      if (chunk != null && typeof chunk !== 'function') keep(toBuffer(chunk, rest[0]));
      const r = (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
      if (!settled) {
        settled = true;
        const headers: OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries({ ...res.getHeaders(), ...lower(headArgs) })) if (!HOP.has(k) && v !== undefined) headers[k] = v;
        resolve(chunks ? done(res.statusCode, headers, Buffer.concat(chunks)) : null);
      }
      return r;
    } as ServerResponse['end'];
    res.once('close', () => {
      if (!settled) {
        settled = true;
        resolve(null);
      }
    });
  });
}

const lower = (h: OutgoingHttpHeaders) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
