import { headers } from 'next/headers';
import { DOCUMENT_HEADER, putHtml } from '../_lib/html-stash.ts';
import { StaticHtml } from './StaticHtml.tsx';

/**
 * Markup made on the server (the board's grid and standings, tables of a
 * large board), sent once: a page's HTML carries it and its RSC payload only
 * an id. Passed as a prop, a React tree is in both, which doubled the size of
 * the largest pages. A client navigation (an RSC request, no HTML) gets it in
 * the payload, which is then all there is.
 */
export async function RawHtml({ html, className, testId }: { html: string; className?: string; testId?: string }) {
  // Set by `aocbench web` (app/_server/serve.ts) on requests for a document; without it (plain `next start`) the markup goes in the payload as well.
  const document = (await headers()).get(DOCUMENT_HEADER) === '1';
  return document ? <StaticHtml id={putHtml(html)} className={className} testId={testId} /> : <StaticHtml html={html} className={className} testId={testId} />;
}
