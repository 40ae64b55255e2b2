import { formatDiff, formatTime, methodValue, type Method, type Unit } from '../../lib/format.ts';
import { counts, type LbParticipant } from '../../lib/leaderboard.ts';
import { competitionRanks } from '../../lib/ranking.ts';
import type { ResultView } from '../../db/queries/views.ts';
import { esc } from '../_components/leaderboard-html.ts';
import { RawHtml } from '../_components/RawHtml.tsx';
import { sparklineSvg } from '../_components/sparkline.ts';

const RANK_CLASS = ['', 'gold', 'silver', 'bronze'];
/** Medals in words too, for whoever does not see the colours. */
const RANK_NAME = ['', 'gold', 'silver', 'bronze'];

/**
 * One day's ranking: competition ranks (1, 1, 3), differences and the
 * samples' sparkline. Ranks are the whole day's; only `show` places of it are
 * drawn (from `from`, 0-based), and only their samples are read.
 */
export function RankingTable(props: {
  day: number;
  participants: LbParticipant[];
  results: ResultView[];
  samplesOf: (participantIds: number[]) => Map<number, number[]>;
  method: Method;
  unit: Unit;
  anon: boolean;
  /** The season's link prefix ('' for the newest). */
  base?: string;
  from?: number;
  show?: number;
  /** Below a cut ranking: where the rest of it is. */
  more?: { href: string; label: string };
  /** Places in the whole ranking, where `results` hold only its top (the page of every day). */
  total?: number;
}) {
  const byId = new Map(props.participants.map((p) => [p.id, p]));
  const entries = props.results
    .filter((r) => r.day === props.day && byId.has(r.participantId) && counts(r))
    // The confidence interval is the median's: other statistics tie only when equal.
    .map((r) => ({ key: String(r.participantId), time: methodValue(r, props.method)!, at: r.runAt, r, ...(props.method === 'median' ? { lo: r.ciLowMs, hi: r.ciHighMs } : {}) }))
    .filter((e) => e.time !== null);
  const ranked = competitionRanks(entries);
  if (!ranked.length) return <p className="muted">No timed results for day {props.day}.</p>;
  const from = props.from ?? 0;
  const shown = ranked.slice(from, from + (props.show ?? ranked.length));
  const samples = props.samplesOf(shown.map((e) => e.r.participantId));
  const leaders = new Map<number, (typeof ranked)[number]>();
  for (const e of ranked) if (!leaders.has(e.rank)) leaders.set(e.rank, e);
  const interval = (r: ResultView) => (r.ciLowMs !== null && r.ciHighMs !== null ? `${formatTime(r.ciLowMs, props.unit)} – ${formatTime(r.ciHighMs, props.unit)}` : '');
  const rows = shown.map((e) => {
    const p = byId.get(e.r.participantId)!;
    const cls = RANK_CLASS[e.rank] ?? '';
    // Whom it ties with, and why: the fastest of its group, whose interval overlaps its own (or whose time is equal).
    const first = leaders.get(e.rank)!;
    const leader = e.tied ? (first !== e ? first : ranked.find((o) => o.rank === e.rank && o !== e)) : undefined;
    const leaderName = leader ? byId.get(leader.r.participantId)!.name : '';
    const reason = leader
      ? `<div class='tie-reason muted' data-testid='tie-reason'>${esc(e.time === leader.time ? `same time as ${leaderName}` : `overlaps ${leaderName}: ${interval(leader.r)}`)}</div>`
      : '';
    const name = props.anon ? esc(p.name) : `<a href='${props.base ?? ''}/participants/${esc(encodeURIComponent(p.name))}'>${esc(p.name)}</a>`;
    return (
      `<tr><td class='${cls}'><span data-testid='rank'>${e.rank}${e.tied ? '=' : ''}</span>${RANK_NAME[e.rank] ? `<span class='sr'> (${RANK_NAME[e.rank]})</span>` : ''}${reason}</td>` +
      `<td class='${cls}'>${name}</td><td>${esc(p.language ?? '')}</td><td class='time'>${esc(formatTime(e.time, props.unit))}</td>` +
      `<td class='time muted'>${esc(interval(e.r))}</td><td class='time'>${esc(formatDiff(e.diffFirst, props.unit))}</td><td class='time'>${esc(formatDiff(e.diffPrev, props.unit))}</td>` +
      `<td>${sparklineSvg(samples.get(e.r.participantId) ?? [])}</td></tr>`
    );
  });
  const total = props.total ?? ranked.length;
  const more = props.more && total > from + shown.length ? `<p><a href='${esc(props.more.href)}'>${esc(props.more.label.replace('{n}', String(total)))}</a></p>` : '';
  // One string, sent once (RawHtml): as React elements a page of 25 days' tables and sparklines was twice as large.
  const html =
    `<table class='grid' data-testid='ranking-${props.day}'><thead><tr><th>Rank</th><th>Participant</th><th>Language</th><th>Time</th><th>95% interval of the median</th><th>From first</th><th>From previous</th><th>Runs</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>${more}`;
  return <RawHtml className="scroll" html={html} />;
}

/** What the marks of a ranking mean: once per page, below its tables. */
export function RankingLegend() {
  return (
    <p className="muted" data-testid="ranking-legend">
      Rank <strong>2=</strong>: tied, sharing the place: its median&apos;s 95% interval overlaps the interval of the fastest of its group (or the times are equal), so which is faster is not known. Gold, silver and bronze: the podium places.
    </p>
  );
}
