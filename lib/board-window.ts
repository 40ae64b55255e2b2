/**
 * Which participants a leaderboard view shows: a window of PAGE_SIZE of them
 * in standing (or config) order, chosen by page, by a participant to be
 * around, or by a name search; never the whole board at once, so a page's
 * size and render time do not grow with the number of participants.
 */
export const PAGE_SIZE = 25;

export interface BoardWindow {
  ids: number[];
  page: number;
  pages: number;
  /** How many participants the view's filter (search) leaves, over all pages. */
  total: number;
}

export function boardWindow(ordered: number[], opts: { page: number; aroundId?: number | null; size?: number }): BoardWindow {
  const size = opts.size ?? PAGE_SIZE;
  const pages = Math.max(1, Math.ceil(ordered.length / size));
  const at = opts.aroundId != null ? ordered.indexOf(opts.aroundId) : -1;
  const page = at >= 0 ? Math.floor(at / size) + 1 : Math.min(Math.max(1, opts.page), pages);
  return { ids: ordered.slice((page - 1) * size, page * size), page, pages, total: ordered.length };
}

/** Page numbers to link: the first, the last, and two either side of the current one; null marks a gap. */
export function pageLinks(page: number, pages: number): Array<number | null> {
  const want = new Set([1, pages, page - 2, page - 1, page, page + 1, page + 2].filter((p) => p >= 1 && p <= pages));
  const sorted = [...want].sort((a, b) => a - b);
  const out: Array<number | null> = [];
  sorted.forEach((p, i) => {
    if (i && p - sorted[i - 1] > 1) out.push(null);
    out.push(p);
  });
  return out;
}
