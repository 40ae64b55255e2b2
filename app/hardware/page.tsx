import { listEnvCounts } from '../../db/queries/board.ts';
import { latestHardware } from '../../db/queries/views.ts';
import { environments } from '../../lib/env.ts';
import { db, instance } from '../_lib/data.ts';
import { enterSeason } from '../_lib/season.ts';
import { dateTime } from '../_lib/participants.ts';

const LABELS: Record<string, string> = {
  cpuModel: 'CPU', cores: 'Cores', memoryBytes: 'Memory', kernel: 'Kernel', docker: 'Docker', node: 'Node.js',
};

export const metadata = { title: 'Hardware' };

export default async function HardwarePage({ params }: { params?: Promise<{ season?: string }> }) {
  await enterSeason(params);
  const hw = latestHardware(db());
  const { repeat, limits } = instance().config;
  return (
    <>
      <h1>Hardware</h1>
      {hw ? (
        <>
          <p className="muted">As recorded at the start of the last benchmark run ({dateTime(hw.at)} UTC).</p>
          <dl className="kv" data-testid="hardware">
            {Object.entries(hw.hardware).map(([k, v]) => (
              <div key={k} style={{ display: 'contents' }}>
                <dt>{LABELS[k] ?? k}</dt>
                <dd>{k === 'memoryBytes' ? `${(Number(v) / 2 ** 30).toFixed(1)} GiB` : String(v)}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : (
        <p className="muted">No benchmark has run yet.</p>
      )}
      <h2>Where the current results were measured</h2>
      <ul data-testid="environments">
        {environments(listEnvCounts(db())).map((e) => (
          <li key={e.key}>
            {e.label}: {e.count} result{e.count === 1 ? '' : 's'}
          </li>
        ))}
      </ul>
      <h2>Settings that affect timings</h2>
      <dl className="kv">
        <dt>Timed runs</dt>
        <dd>
          {repeat.runs !== undefined
            ? `${repeat.runs} (a fixed count)`
            : `${repeat.minRuns} to ${repeat.maxRuns}, until the median's 95% interval is within ±${+(repeat.targetCi * 100).toFixed(1)}% or ${repeat.budgetSec} s of runs are spent`}{' '}
          after {repeat.warmup} warm-up; {repeat.longRuns} once a run takes over {repeat.longAfterSec} s; {repeat.veryLongRuns} over {repeat.veryLongAfterSec} s
        </dd>
        <dt>Timeout</dt>
        <dd>{repeat.timeoutSec} s per command</dd>
        <dt>Memory</dt>
        <dd>{limits.memoryMb} MiB, no swap</dd>
        <dt>Processes</dt>
        <dd>{limits.pids}</dd>
        <dt>CPU quota</dt>
        <dd>{limits.cpus ?? 'none'}</dd>
        <dt>Executor</dt>
        <dd>{instance().config.executor === 'vm' ? 'a QEMU guest per participant and day, memory preallocated and locked, vCPUs pinned' : 'a Docker container per participant and day'}</dd>
        <dt>Timing</dt>
        <dd>inside the sandbox: one spawn + wait per sample, monotonic clock; runs never overlap</dd>
      </dl>
    </>
  );
}
