'use client';
import { useEffect, useRef, useState } from 'react';

interface Details {
  name: string;
  day: number;
  lines: string[];
  codeUrl: string | null;
  history: string[];
  moreHistory: number;
  participantUrl: string | null;
}

/**
 * Hover (or tap) details of a leaderboard cell, fetched on demand so the grid
 * itself stays small: one listener on the table, one request per cell, cached.
 */
export function CellDetails({ query }: { query: string }) {
  const [shown, setShown] = useState<{ d: Details; x: number; y: number } | null>(null);
  const cache = useRef(new Map<string, Promise<Details | null>>());
  useEffect(() => {
    const table = document.querySelector('[data-testid=leaderboard]');
    if (!table) return;
    let current = '';
    const show = async (ev: Event) => {
      const td = (ev.target as Element).closest?.('td[data-p]') as HTMLElement | null;
      const day = td?.parentElement?.getAttribute('data-day');
      if (!td || !day || !td.textContent) return;
      const key = `p=${td.dataset.p}&d=${day}${query}`;
      current = key;
      if (!cache.current.has(key)) cache.current.set(key, fetch(`/api/cell?${key}`).then((r) => (r.ok ? r.json() : null)));
      const d = await cache.current.get(key)!;
      const rect = td.getBoundingClientRect();
      if (d && current === key) setShown({ d, x: rect.left + window.scrollX, y: rect.bottom + window.scrollY + 4 });
    };
    const hide = (ev: Event) => {
      const to = (ev as MouseEvent).relatedTarget as Element | null;
      if (!to?.closest?.('.cell-details')) {
        current = '';
        setShown(null);
      }
    };
    // Keyboard: one cell is in the tab order (roving focus, no attribute per cell in the HTML); arrow keys move
    // between cells, a focused cell shows its details, Escape hides them.
    const first = Array.from(table.querySelectorAll<HTMLElement>('td[data-p]')).find((td) => td.textContent);
    if (first) first.tabIndex = 0;
    const move = (ev: Event) => {
      const e = ev as KeyboardEvent;
      const td = (e.target as Element).closest?.('td[data-p]') as HTMLTableCellElement | null;
      if (!td) return;
      if (e.key === 'Escape') {
        current = '';
        setShown(null);
        return;
      }
      const row = td.parentElement as HTMLTableRowElement;
      const rowAt = (r: Element | null) => (r as HTMLTableRowElement | null)?.cells[td.cellIndex] ?? null;
      const next = { ArrowRight: td.nextElementSibling, ArrowLeft: td.previousElementSibling, ArrowDown: rowAt(row.nextElementSibling), ArrowUp: rowAt(row.previousElementSibling) }[e.key];
      if (!(next instanceof HTMLElement) || !next.matches('td[data-p]')) return;
      e.preventDefault();
      td.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    };
    table.addEventListener('mouseover', show);
    table.addEventListener('click', show);
    table.addEventListener('focusin', show);
    table.addEventListener('keydown', move);
    table.addEventListener('mouseleave', hide);
    return () => {
      table.removeEventListener('mouseover', show);
      table.removeEventListener('click', show);
      table.removeEventListener('focusin', show);
      table.removeEventListener('keydown', move);
      table.removeEventListener('mouseleave', hide);
    };
  }, [query]);
  if (!shown) return null;
  const { d } = shown;
  return (
    <div className="cell-details" role="tooltip" data-testid="cell-details" style={{ left: shown.x, top: shown.y }} onMouseLeave={() => setShown(null)}>
      <strong>
        {d.participantUrl ? <a href={d.participantUrl}>{d.name}</a> : d.name}, day {d.day}
      </strong>
      {d.lines.map((l) => (
        <div key={l}>{l}</div>
      ))}
      {d.codeUrl ? (
        <div>
          <a href={d.codeUrl}>code for this day ↗</a>
        </div>
      ) : null}
      {d.history.length ? (
        <>
          <div className="muted">Previous results</div>
          {d.history.map((h) => (
            <div key={h} className="mono">
              {h}
            </div>
          ))}
          {d.moreHistory ? <div className="muted">and {d.moreHistory} more</div> : null}
        </>
      ) : null}
    </div>
  );
}
