import { endOrphanedJobs, queueState } from '../../db/queries/jobs.ts';
import { lastRunner, runnerProblems, runnerSeen } from '../../db/queries/runners.ts';
import { formatDuration } from '../../lib/format.ts';
import { queueStatus } from '../../db/queries/queue-status.ts';
import { noWorkerMessage } from '../../lib/queue-health.ts';
import { progressCount, runningLine, stoppedLine } from '../_lib/banner.ts';
import { db, instance, invalidate } from '../_lib/data.ts';
import { dateTime } from '../_lib/participants.ts';

/** "Running since …, what, queue, ETA" and "runs pending since …", on every page. */
export function StatusBanner() {
  const q = queueState(db());
  // A host fault (Docker unreachable, disk full): the runner waits for it and says so, with or without runs to do.
  const waiting = runnerProblems(db()).map((p) => `The ${p.kind === 'daemon' ? 'daemon' : 'runner'} is waiting: ${p.problem}`).join(' ');
  if (!q.running && !q.queued && !q.stopped && !waiting) return null;
  const r = q.running;
  const running = r ? runningLine(r) : '';
  // A run whose process was killed is still recorded as running: it is not in progress.
  const stopped = !r && q.stopped ? stoppedLine(q.stopped, q.stopped.runner ? (runnerSeen(db()).get(q.stopped.runner) ?? null) : null) : '';
  if (q.stopped) {
    // Recorded once, so that the job list says so too and the next run's banner does not repeat it;
    // while the runner's writes hold the database, the next page view records it instead.
    try {
      endOrphanedJobs(db());
      invalidate();
    } catch {}
  }
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
  const nobody = runner?.alive ? '' : r ? `${silent}: the run may have stopped.` : q.queued ? `${silent}: queued runs wait until \`aocbench daemon\` runs.` : '';
  const count = r ? progressCount(r.progress) : null;
  return (
    <div className={`status-banner${nobody || unserved || stopped || waiting ? ' stale' : ''}`} data-testid="status-banner">
      {[waiting, running, stopped, pending, nobody, unserved, fleet].filter(Boolean).join(' ')}
      {count ? (
        <div className="run-progress">
          <progress max={count.total} value={count.done} data-testid="run-progress" aria-label={`${count.done} of ${count.total} days done`} />{' '}
          <span>{count.done} of {count.total} days done</span>
        </div>
      ) : null}
    </div>
  );
}
