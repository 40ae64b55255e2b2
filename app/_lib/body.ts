/**
 * Request bodies read with a limit that holds whatever the headers say: the
 * bytes are counted as they stream in and the read stops at the limit, so a
 * chunked upload without Content-Length cannot make the server buffer more.
 */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes`);
  }
}

export async function readBody(req: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new BodyTooLarge(maxBytes);
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: Request, maxBytes: number): Promise<unknown> {
  const text = (await readBody(req, maxBytes)).toString('utf8');
  return JSON.parse(text);
}

/** Form data (urlencoded or multipart) parsed from a body read with the limit. */
export async function readForm(req: Request, maxBytes: number): Promise<FormData> {
  const body = await readBody(req, maxBytes);
  return new Response(new Uint8Array(body), { headers: { 'content-type': req.headers.get('content-type') ?? '' } }).formData();
}

export const tooLarge = (e: BodyTooLarge) => Response.json({ error: e.message }, { status: 413 });

/** Small forms and JSON bodies: a sign-in, a re-run request, a CSRF token. */
export const SMALL_BODY = 16 * 1024;
