/**
 * Markup handed from a server component to the server render of a client
 * component (app/_components/StaticHtml.tsx) outside the RSC payload. Next.js
 * renders a page's server components and then its HTML in the same process,
 * but as separate module graphs: the hand-over goes through globalThis.
 * Entries are looked up by a random id and evicted oldest first: one page in
 * a hundred renders is never finished, and its entry must not stay.
 */
const MAX_ENTRIES = 64;

/** Set by `aocbench web` on a request that gets HTML, not only an RSC payload (app/_server/serve.ts). */
export const DOCUMENT_HEADER = 'x-aocbench-document';
const KEY = Symbol.for('aocbench.html-stash');

function stash(): Map<string, string> {
  const g = globalThis as { [KEY]?: Map<string, string> };
  return (g[KEY] ??= new Map());
}

export function putHtml(html: string): string {
  const s = stash();
  const id = crypto.randomUUID();
  s.set(id, html);
  for (const k of s.keys()) {
    if (s.size <= MAX_ENTRIES) break;
    s.delete(k);
  }
  return id;
}

/** The markup of `id` (kept for a second render of the same page; evicted by later pages). */
export function peekHtml(id: string): string | undefined {
  return stash().get(id);
}
