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
 * days times their recorded durations). None when it has nothing to go on
 * ("0s"): no ETA is better than a wrong one. The median of past jobs is no
 * estimate: most polls find nothing to do and end in a second.
 */
export function progressEta(progress: string | null): string | null {
  const m = / · ETA (\S+)$/.exec(progress ?? '');
  return m && m[1] !== '0s' ? m[1] : null;
}

const what = (j: BannerJob) => `${j.kind === 'cycle' ? 'benchmark cycle' : j.kind} run${j.participant ? ` for ${j.participant}` : ''}`;

/** "A benchmark cycle run for alice is in progress since … — [2/5] alice day 3: timing · about 1m20s left." */
export function runningLine(j: BannerJob): string {
  const step = j.progress ? ` — ${j.progress.replace(/ · ETA .*$/, '')}` : '';
  const eta = progressEta(j.progress);
  return `A ${what(j)} is in progress since ${j.startedAt ? `${dateTime(j.startedAt)} UTC` : 'now'}${step}${eta ? ` · about ${eta} left` : ''}.`;
}

/** A job still recorded as running whose process stopped beating: said to have stopped, never "in progress". */
export function stoppedLine(j: BannerJob & { runner: string | null }, seenAt: number | null, now = Date.now()): string {
  const since = seenAt ? ` (not heard from for ${formatDuration(now - seenAt)})` : '';
  return `The ${what(j)} started ${j.startedAt ? `${dateTime(j.startedAt)} UTC` : ''} stopped without finishing: its process${since} is gone; its results so far are kept.`;
}
