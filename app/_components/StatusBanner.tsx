import { queueState, typicalDurationMs } from '../../db/queries/jobs.ts';
import { lastRunner } from '../../db/queries/runners.ts';
import { formatDuration } from '../../lib/format.ts';
import { queueStatus } from '../../db/queries/queue-status.ts';
import { noWorkerMessage } from '../../lib/queue-health.ts';
import { db, instance } from '../_lib/data.ts';
import { dateTime } from '../_lib/participants.ts';

/** "Running since …, what, queue, ETA" and "runs pending since …", on every page. */
export function StatusBanner() {
  const q = queueState(db());
  if (!q.running && !q.queued) return null;
  const r = q.running;
  const typical = r ? typicalDurationMs(db(), r.kind) : null;
  const eta = r && typical && r.startedAt ? Math.max(0, typical - (Date.now() - r.startedAt)) : null;
  const running = r
    ? `A ${r.kind === 'cycle' ? 'benchmark cycle' : r.kind} run${r.participant ? ` for ${r.participant}` : ''} is in progress since ${r.startedAt ? `${dateTime(r.startedAt)} UTC` : 'now'}${r.progress ? ` — ${r.progress.replace(/ · ETA .*$/, '')}` : ''}${eta !== null ? ` · about ${formatDuration(eta)} left` : ''}.`
    : '';
  const pending = q.queued ? `${q.queued} run${q.queued > 1 ? 's' : ''} pending${q.oldestQueuedAt ? ` since ${dateTime(q.oldestQueuedAt)} UTC` : ''}.` : '';
  // A heartbeat tells a queue being worked through from one that waits for nobody.
  const runner = lastRunner(db());
  // With a queue the runs happen on the workers: say which are there and what they do.
  const queue = instance().config.queue;
  const hosts = queue ? queueStatus(db()).workers : [];
  const fleet = hosts.length ? `Workers: ${hosts.map((w) => `${w.id} ${w.job ? `running ${w.job}` : 'idle'}`).join('; ')}.` : '';
  // Jobs go to one class's queue; workers of other classes do not take them.
  const unserved = queue && runner?.alive ? noWorkerMessage(hosts, queue.hardwareClass, Date.now(), formatDuration) : null;
  const silent = runner ? `No runner has been seen for ${formatDuration(Date.now() - runner.seenAt)}` : 'No runner has been seen yet';
  const nobody = runner?.alive ? '' : r ? `${silent}: the run may have stopped.` : `${silent}: queued runs wait until \`aocbench daemon\` runs.`;
  return (
    <div className={`status-banner${nobody || unserved ? ' stale' : ''}`} data-testid="status-banner">
      {[running, pending, nobody, unserved, fleet].filter(Boolean).join(' ')}
    </div>
  );
}
