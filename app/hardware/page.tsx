import { latestHardware } from '../../db/queries/views.ts';
import { db, instance } from '../_lib/data.ts';
import { dateTime } from '../_lib/participants.ts';

const LABELS: Record<string, string> = {
  cpuModel: 'CPU', cores: 'Cores', memoryBytes: 'Memory', kernel: 'Kernel', docker: 'Docker', node: 'Node.js',
};

export default function HardwarePage() {
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
      <h2>Settings that affect timings</h2>
      <dl className="kv">
        <dt>Timed runs</dt>
        <dd>
          {repeat.runs} after {repeat.warmup} warm-up; {repeat.longRuns} once a run takes over {repeat.longAfterSec} s; {repeat.veryLongRuns} over {repeat.veryLongAfterSec} s
        </dd>
        <dt>Timeout</dt>
        <dd>{repeat.timeoutSec} s per command</dd>
        <dt>Memory</dt>
        <dd>{limits.memoryMb} MiB, no swap</dd>
        <dt>Processes</dt>
        <dd>{limits.pids}</dd>
        <dt>CPU quota</dt>
        <dd>{limits.cpus ?? 'none'}</dd>
        <dt>Timing</dt>
        <dd>inside the container: one spawn + wait per sample, monotonic clock; one container per participant and day; runs never overlap</dd>
      </dl>
    </>
  );
}
