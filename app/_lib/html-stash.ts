/**
 * Markup handed from a server component to the server render of a client
 * component (app/_components/StaticHtml.tsx) outside the RSC payload. Next.js
 * renders a page's server components and then its HTML in the same process,
 * but as separate module graphs: the hand-over goes through globalThis.
 *
 * An entry is read, not taken: the HTML render may render a component again
 * (when part of the payload arrives later), and must find it again. Entries
 * go when two minutes old, or oldest first beyond 64 MB: renders take well
 * under a second, and one that is never finished must not keep its entry.
 */
const MAX_AGE_MS = 120_000;
const MAX_BYTES = 64 * 1024 * 1024;
const KEY = Symbol.for('aocbench.html-stash');

/** Set by `aocbench web` on a request that gets HTML, not only an RSC payload (app/_server/serve.ts). */
export const DOCUMENT_HEADER = 'x-aocbench-document';

interface Stash {
  entries: Map<string, { html: string; at: number }>;
  bytes: number;
}

function stash(): Stash {
  const g = globalThis as { [KEY]?: Stash };
  return (g[KEY] ??= { entries: new Map(), bytes: 0 });
}

export function putHtml(html: string, now = Date.now()): string {
  const s = stash();
  const id = crypto.randomUUID();
  s.entries.set(id, { html, at: now });
  s.bytes += html.length * 2;
  // Oldest first (insertion order).
  for (const [k, e] of s.entries) {
    if (now - e.at <= MAX_AGE_MS && s.bytes <= MAX_BYTES) break;
    s.entries.delete(k);
    s.bytes -= e.html.length * 2;
  }
  return id;
}

export function peekHtml(id: string): string | undefined {
  return stash().entries.get(id)?.html;
}
