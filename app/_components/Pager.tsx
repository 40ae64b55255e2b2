import Link from 'next/link';
import { pageLinks } from '../../lib/board-window.ts';

/** Links to the other pages of a long list: "Participants 51–100 of 1,000: 1 2 [3] 4 5 … 20". Nothing when it fits one page. */
export function Pager({ page, perPage, total, noun, href }: { page: number; perPage: number; total: number; noun: string; href: (page: number) => string }) {
  const pages = Math.ceil(total / perPage);
  if (pages <= 1) return null;
  const at = Math.min(page, pages);
  return (
    <nav className="pager" data-testid="pager" aria-label={`Pages of ${noun.toLowerCase()}`}>
      {noun} {(at - 1) * perPage + 1}–{Math.min(total, at * perPage)} of {total.toLocaleString('en')}:{' '}
      {pageLinks(at, pages).map((p, i) =>
        p === null ? (
          <span key={`gap${i}`} className="gap">…</span>
        ) : p === at ? (
          <strong key={p} aria-current="page">{p}</strong>
        ) : (
          <Link key={p} href={href(p)}>{p}</Link>
        ),
      )}
    </nav>
  );
}

/** `?page=N` for page N (none for the first), the rest of the query kept. */
export const pageParam = (p: number) => ({ page: p === 1 ? undefined : String(p) });
