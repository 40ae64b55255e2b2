import { formatTime, type Unit } from '../../lib/format.ts';
import type { LbCell, Leaderboard } from '../../lib/leaderboard.ts';

/**
 * The grid as an HTML string. A 100 × 25 grid is ~2,500 cells: as React
 * elements it took ~400 ms per request and, with a tooltip, history and link
 * per cell, 2 MB. Cells are therefore bare (time and medal class); min, max,
 * confidence interval, history and the code link come on hover from
 * /api/cell (CellDetails). Attributes use single quotes: the HTML is also
 * sent inside the RSC payload as a JSON string, where every `"` costs `\\\"`.
 * See bench/web-render.ts.
 */
const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s: string | number) => String(s).replace(/[&<>"']/g, (c) => ESC[c]);

const MEDAL_PLACE: Record<string, string> = { gold: 'first', silver: 'second', bronze: 'third' };

const VERDICT_LABEL: Record<string, string> = {
  wrong: 'wrong', error: 'error', timeout: 'timeout', oom: 'out of memory', 'output-limit': 'output limit',
};

function cell(c: LbCell, unit: Unit): string {
  const r = c.result;
  if (c.status === 'removed') return `<td class='removed h' data-p=${c.participantId} title='removed from the repository: kept as history, out of points'>removed</td>`;
  if (c.status === 'wip') return `<td class='wip${c.history.length ? ' h' : ''}' data-p=${c.participantId} title='work in progress'>WIP</td>`;
  if (!r) return `<td data-p=${c.participantId}></td>`;
  if (c.value === null) return `<td class=failed data-p=${c.participantId}>${esc(VERDICT_LABEL[r.status] ?? r.status)}</td>`;
  const cls = [c.medal, c.best && 'best', c.tied && 'tie', c.history.length && 'h', r.status === 'unchecked' && 'unchecked'].filter(Boolean).join(' ');
  // Medals in words too (hover, and the cell's name for a screen reader), not colour only.
  const medal = c.medal ? `${c.medal} (${MEDAL_PLACE[c.medal]})` : '';
  const tie = c.tied ? 'tied: indistinguishable from another time of the day (their 95% confidence intervals overlap)' : '';
  const title = medal || tie ? ` title='${[medal, tie].filter(Boolean).join('; ')}'` : '';
  const label = c.medal ? ` aria-label='${formatTime(c.value, unit)}, ${c.medal}${c.tied ? ', tied' : ''}'` : '';
  return `<td${cls ? ` class='${cls}'` : ''}${title}${label} data-p=${c.participantId}>${formatTime(c.value, unit)}</td>`;
}

/** The sum of a participant's times, `*` when not every day counts; `—` when no day has a time (nothing ran, or nothing passed). */
function runtimeText(lb: Leaderboard, timed: Set<number>, id: number, unit: Unit): string {
  if (!timed.has(id)) return '—';
  return `${formatTime(lb.runtime.get(id) ?? 0, unit)}${lb.complete.has(id) ? '' : '*'}`;
}

/** Participants with at least one time on the board (one pass over the cells). */
function timedIds(lb: Leaderboard): Set<number> {
  const out = new Set<number>();
  for (const r of lb.rows) for (const c of r.cells) if (c.value !== null) out.add(c.participantId);
  return out;
}

/** A participant's failing step (clone, config, build), linking to the health page that says why. */
function problemBadge(p: { id: number; name: string }, o: { anon: boolean; problems?: Map<number, { label: string }>; base?: string }, testId: string): string {
  const problem = o.problems?.get(p.id);
  if (!problem) return '';
  const attrs = `class=problem data-testid=${testId}-${p.id} title='see the health page'`;
  return o.anon ? `<span ${attrs}>${esc(problem.label)}</span>` : `<a ${attrs} href='${o.base ?? ''}/health/${encodeURIComponent(p.name)}'>${esc(problem.label)}</a>`;
}

export function leaderboardHtml(
  lb: Leaderboard,
  o: { unit: Unit; anon: boolean; podium: boolean; year: number; query: string; undecrypted?: Set<number>; problems?: Map<number, { label: string }>; base?: string },
): string {
  const head = lb.columns
    .map((p) => {
      const name = o.anon ? esc(p.name) : `<a href='${o.base ?? ''}/participants/${encodeURIComponent(p.name)}${esc(o.query)}'>${esc(p.name)}</a>`;
      const sub = [p.language, p.subheading].filter(Boolean).map((s) => `<span class=sub>${esc(s!)}</span>`).join('')
        + (o.undecrypted?.has(p.id) ? `<span class='sub warn' title='see the health page'>inputs not decrypted</span>` : '')
        + problemBadge(p, o, 'problem');
      return `<th data-testid=col-${p.id}><div class=participant-head>${name}${sub}</div></th>`;
    })
    .join('');
  const rows = lb.rows
    .map(
      (row) =>
        `<tr data-testid=day-${row.day} data-day=${row.day}><th class=day><a href='${o.base ?? ''}/days/${row.day}${esc(o.query)}'>Day ${row.day}</a> <a class=muted href='https://adventofcode.com/${o.year}/day/${row.day}' title=Puzzle>↗</a></th>${row.cells.map((c) => cell(c, o.unit)).join('')}</tr>`,
    )
    .join('');
  const points = o.podium
    ? `<tr class=total data-testid=points><th class=day>Points</th>${lb.columns
        .map((p) => {
          const m = lb.pointsMedals.get(p.id) ?? '';
          return `<td class='time ${m}' data-medal='${m}'>${lb.points.get(p.id) ?? 0}</td>`;
        })
        .join('')}</tr>`
    : '';
  const timed = timedIds(lb);
  const runtime = `<tr class=total data-testid=runtime><th class=day>Runtime</th>${lb.columns
    .map((p) => {
      const m = lb.runtimeMedals.get(p.id);
      const cls = o.podium ? (m ?? '') : m === 'gold' ? 'best' : '';
      return `<td class='time ${cls}'${lb.complete.has(p.id) ? '' : " title='not every day completed'"}>${runtimeText(lb, timed, p.id, o.unit)}</td>`;
    })
    .join('')}</tr>`;
  return `<table class=grid data-testid=leaderboard><thead><tr><th></th>${head}</tr></thead><tbody>${rows}${points}${runtime}</tbody></table>`;
}

/** A participant's medal days in words as well as colours: "2 gold 1 silver". */
function medalsHtml(m: { gold: number; silver: number; bronze: number } | undefined): string {
  if (!m) return '';
  const parts = (['gold', 'silver', 'bronze'] as const).filter((k) => m[k] > 0).map((k) => `<span class='m ${k}' title='${k} days'>${m[k]}<span class=sr> ${k}</span></span>`);
  return parts.length ? `<span class=medals>${parts.join('')}</span>` : '';
}

/**
 * The standings of the participants in view, on every screen above the grid
 * (on a phone instead of it): place on the whole board, name, failure badge,
 * medal days, points, runtime; a link per day, whose page shows that one day.
 */
export function standingsHtml(
  lb: Leaderboard,
  o: {
    unit: Unit; anon: boolean; podium: boolean; query: string; problems?: Map<number, { label: string }>; base?: string;
    rank?: Map<number, number>; medals?: Map<number, { gold: number; silver: number; bronze: number }>; highlight?: number | null;
  },
): string {
  const timed = timedIds(lb);
  const items = lb.columns
    .map((p, i) => {
      const name = o.anon ? esc(p.name) : `<a href='${o.base ?? ''}/participants/${encodeURIComponent(p.name)}${esc(o.query)}'>${esc(p.name)}</a>`;
      const pts = o.podium ? `<span class=pts>${lb.points.get(p.id) ?? 0} pts</span>` : '';
      const mark = p.id === o.highlight ? " class=here aria-current=true" : '';
      return `<li data-testid=standing-${p.id}${mark}><span class=place>${o.rank?.get(p.id) ?? i + 1}</span> ${name} ${problemBadge(p, o, 'standing-problem')}${medalsHtml(o.medals?.get(p.id))}${pts}<span class=time>${runtimeText(lb, timed, p.id, o.unit)}</span></li>`;
    })
    .join('');
  const days = lb.rows.map((r) => `<a href='${o.base ?? ''}/days/${r.day}${esc(o.query)}'>Day ${r.day}</a>`).join(' ');
  return `<ol class=standings data-testid=standings>${items}</ol><p class=days>${days}</p>`;
}
