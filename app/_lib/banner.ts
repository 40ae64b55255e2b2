import { formatDuration } from '../../lib/format.ts';
import { dateTime } from './participants.ts';

interface BannerJob {
  kind: string;
  participant: string | null;
  startedAt: number | null;
  progress: string | null;
}

/**
 * The runner's own estimate, from the progress line it last wrote (planned
 * days times their recorded durations, at this run's pace): the clock time it
 * expects to end (`ends 06:12:40`, UTC), so the time left is right whenever
 * the page is drawn; a line without it (older runners) gives its ETA as it is.
 * None when it has nothing to go on ("0s"): no ETA is better than a wrong one.
 */
export function progressEta(progress: string | null, now = Date.now()): string | null {
  const end = / · ETA \S+, ends (\d\d):(\d\d):(\d\d)$/.exec(progress ?? '');
  if (end) {
    const d = new Date(now);
    let at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), Number(end[1]), Number(end[2]), Number(end[3]));
    // Past midnight (UTC) since the line was written, or a line from before it.
    if (at < now - 12 * 3_600_000) at += 86_400_000;
    else if (at > now + 12 * 3_600_000) at -= 86_400_000;
    return at > now + 500 ? formatDuration(at - now) : null;
  }
  const m = / · ETA (\S+)$/.exec(progress ?? '');
  return m && m[1] !== '0s' ? m[1] : null;
}

/** How far the run is, from the `[n/N]` of its progress line: n − 1 of N days done. */
export function progressCount(progress: string | null): { done: number; total: number } | null {
  const m = /^\[(\d+)\/(\d+)\]/.exec(progress ?? '');
  return m && Number(m[2]) > 0 ? { done: Number(m[1]) - 1, total: Number(m[2]) } : null;
}

const what = (j: BannerJob) => `${j.kind === 'cycle' ? 'benchmark cycle' : j.kind} run${j.participant ? ` for ${j.participant}` : ''}`;

/** "A benchmark cycle run for alice is in progress since … — [2/5] alice day 3: timing · about 1m20s left." */
export function runningLine(j: BannerJob, now = Date.now()): string {
  const step = j.progress ? ` — ${j.progress.replace(/ · ETA .*$/, '')}` : '';
  const eta = progressEta(j.progress, now);
  // Past its estimate with days still to do: finishing, not "0s left".
  const late = !eta && / · ETA \S+, ends /.test(j.progress ?? '') ? ' · finishing, later than estimated' : '';
  return `A ${what(j)} is in progress since ${j.startedAt ? `${dateTime(j.startedAt)} UTC` : 'now'}${step}${eta ? ` · about ${eta} left` : late}.`;
}

/** A job still recorded as running whose process stopped beating: said to have stopped, never "in progress". */
export function stoppedLine(j: BannerJob & { runner: string | null }, seenAt: number | null, now = Date.now()): string {
  const since = seenAt ? ` (not heard from for ${formatDuration(now - seenAt)})` : '';
  return `The ${what(j)} started ${j.startedAt ? `${dateTime(j.startedAt)} UTC` : ''} stopped without finishing: its process${since} is gone; its results so far are kept.`;
}
