import { listParticipantViews, listResultViewsOf } from '../../../db/queries/views.ts';
import { listDayHistory } from '../../../db/queries/results.ts';
import { formatTime, methodValue, parseMethod, parseUnit } from '../../../lib/format.ts';
import { TIMED_STATUSES } from '../../../lib/leaderboard.ts';
import { envLabel, parseEnv } from '../../../lib/env.ts';
import { expand } from '../../../lib/placeholders.ts';
import { usageLines } from '../../../lib/usage.ts';
import { repoFileUrl } from '../../../lib/repo-links.ts';
import { askedSeason, cached, db, instance, seasonPage } from '../../_lib/data.ts';
import { dateTime } from '../../_lib/participants.ts';

export const dynamic = 'force-dynamic';
const HISTORY_SHOWN = 10;
/** Why the timed runs stopped, as a reader says it. */
const STOPPED: Record<string, string> = { fixed: 'a fixed count', target: 'the interval reached its target', 'run cap': 'the run cap', 'time budget': 'the time budget', 'out of reach': 'more runs would not reach the target: the times are spread' };

/** Details of one leaderboard cell: statistics, history and the code link (the grid itself stays bare). */
export function GET(req: Request) {
  const url = new URL(req.url);
  const q = url.searchParams;
  const season = askedSeason(url);
  if (season === null) return Response.json({ error: 'no such season' }, { status: 404 });
  const pid = Number(q.get('p'));
  const day = Number(q.get('d'));
  const method = parseMethod(q.get('method') ?? undefined);
  const unit = parseUnit(q.get('unit') ?? undefined);
  const anon = q.has('anon');
  const participants = cached('participants', () => listParticipantViews(db(season)), season);
  const index = participants.findIndex((x) => x.id === pid);
  const r = index < 0 ? undefined : listResultViewsOf(db(season), [pid]).find((x) => x.day === day);
  if (index < 0 || !r) return Response.json({ error: 'no such result' }, { status: 404 });
  const p = participants[index];
  const t = (ms: number | null) => (ms === null ? '—' : formatTime(ms, unit));
  const history = listDayHistory(db(season), pid, day);
  const timed = TIMED_STATUSES.has(r.status);
  const removed = r.removedAt ? [`removed from the repository ${dateTime(r.removedAt)} UTC: out of points`] : [];
  const lines = timed
    ? [
        `${method}: ${t(methodValue(r, method))}`,
        `min ${t(r.minMs)} · max ${t(r.maxMs)}`,
        `median 95% CI ${t(r.ciLowMs)} – ${t(r.ciHighMs)}`,
        ...usageLines(r, t),
        `${r.samples} runs${r.stopReason ? ` (${STOPPED[r.stopReason] ?? r.stopReason})` : ''} · ${dateTime(r.runAt)} UTC`,
        `measured in: ${envLabel(parseEnv(r.env))}`,
        ...(r.status === 'unchecked' ? ['answers unknown: output not checked'] : []),
      ]
    : [`${r.status} · ${dateTime(r.runAt)} UTC`];
  lines.unshift(...removed);
  return Response.json({
    name: anon ? `Participant ${index + 1}` : p.name,
    day,
    lines: [...lines, anon ? '' : `version ${r.version}`].filter(Boolean),
    codeUrl: anon ? null : repoFileUrl(p.repo, p.branch, codePath(season, p.name, expand(p.config?.daypath ?? '%day%', { day, year: season }))),
    participantUrl: anon ? null : `${seasonPage(season).base}/participants/${encodeURIComponent(p.name)}`,
    history: history.slice(0, HISTORY_SHOWN).map((h) => {
      const v = TIMED_STATUSES.has(h.status) ? methodValue(h, method) : null;
      return `${dateTime(h.runAt)}  ${anon ? '' : h.version.slice(-8)}  ${v === null ? h.status : t(v)}`;
    }),
    moreHistory: Math.max(0, history.length - HISTORY_SHOWN),
  });
}

/** A day's folder in the repository: inside the season's folder when the participant has one (`path:`). */
function codePath(season: number, name: string, daypath: string): string {
  const folder = instance(season).config.participants.find((e) => e.name === name)?.path;
  return folder ? `${folder}/${daypath.replace(/^(\.\/)+/, '')}` : daypath;
}
