import { queueStatus } from '../../db/queries/queue-status.ts';
import { formatDuration } from '../../lib/format.ts';
import { noWorkerMessage, WORKER_SILENT_MS } from '../../lib/queue-health.ts';
import { db, instance } from '../_lib/data.ts';

/** With a queue (several benchmark hosts): each worker's host, class, current job and last heartbeat, and the queue's counts. */
export function QueueWorkers() {
  const q = instance().config.queue;
  if (!q) return null;
  const s = queueStatus(db());
  const now = Date.now();
  const unserved = noWorkerMessage(s.workers, q.hardwareClass, now, formatDuration);
  return (
    <section data-testid="queue-workers">
      <h2>Benchmark hosts</h2>
      <p className="muted">
        Jobs of hardware class <code>{q.hardwareClass}</code>
        {s.counts ? ` · ${s.counts.waiting} waiting, ${s.counts.active} running, ${s.counts.failed} failed (as of ${formatDuration(now - s.counts.updatedAt)} ago)` : ' · the coordinator (aocbench daemon) has not read the queue yet'}
      </p>
      {unserved && (
        <p className="badge warning" data-testid="no-worker">
          {unserved}
        </p>
      )}
      {s.workers.length ? (
        <table className="grid">
          <thead>
            <tr><th>Worker</th><th>Class</th><th>Now</th><th>Last seen</th></tr>
          </thead>
          <tbody>
            {s.workers.map((w) => (
              <tr key={w.id} data-testid={`worker-${w.id}`}>
                <td>{w.id}</td>
                <td>{w.hardwareClass === q.hardwareClass ? w.hardwareClass : <span title="takes no job of this instance's class">{w.hardwareClass} (other class)</span>}</td>
                <td>{w.job ?? (w.message ? <span className="badge error">{w.message}</span> : 'idle')}</td>
                <td>{formatDuration(now - w.seenAt)} ago{now - w.seenAt >= WORKER_SILENT_MS ? <span className="badge error"> silent: gone or cut off</span> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No worker has been seen: start <code>aocbench worker</code> on a benchmark host.</p>
      )}
    </section>
  );
}
