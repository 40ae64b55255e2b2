'use client';
import { useState } from 'react';
import { peekHtml } from '../_lib/html-stash.ts';

/**
 * Server-made markup that is in the page's HTML once, not again in its RSC
 * payload (app/_components/RawHtml.tsx). On the server it comes from the
 * stash by `id`; in the browser, hydration takes it from the DOM the server
 * sent, so both render the same. A client navigation passes `html` itself.
 */
export function StaticHtml({ id, html, className, testId }: { id?: string; html?: string; className?: string; testId?: string }) {
  const [kept] = useState(() => {
    if (html !== undefined || !id) return html ?? '';
    if (typeof document === 'undefined') return peekHtml(id) ?? '';
    return document.querySelector(`[data-html="${id}"]`)?.innerHTML ?? '';
  });
  return <div className={className} data-testid={testId} data-html={id} dangerouslySetInnerHTML={{ __html: html ?? kept }} />;
}
