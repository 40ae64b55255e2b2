import { timedOutputProblem, type Answers } from '../../lib/answers.ts';
import type { RepeatPolicy } from '../../lib/instance-config.ts';
import type { CommandSpec } from '../../lib/command.ts';
import { nextRuns, type StopReason } from '../../lib/run-count.ts';
import { median } from '../../lib/stats.ts';
import type { MemoryMeter, RunUsage, Session } from '../executor/types.ts';
import { changedMessage, sandboxFailure, stepFailure, type StepFailure, type StepLimits } from './step-failure.ts';

/**
 * A day's timed runs, in batches as lib/run-count.ts decides (one batch of
 * `repeat.runs` when it is set): every output must pass the check the check
 * run passed, and the first failure ends the day. The warm-up runs before the
 * first batch only; the agent cuts the runs of a slow day, from the check
 * run's time and from each batch's.
 */
export async function timedRuns(
  session: Session,
  cmd: CommandSpec,
  p: RepeatPolicy,
  o: StepLimits & { checkMs: number; answers: Answers; checked: boolean },
): Promise<{ samplesMs: number[]; stopReason: StopReason; usage: RunUsage[]; meter: MemoryMeter } | { failure: StepFailure }> {
  const samples: number[] = [];
  let usage: RunUsage[] = [];
  let meter: MemoryMeter = 'cgroup';
  let cut = false;
  for (;;) {
    const next = nextRuns(p, samples, cut);
    if ('stop' in next) return { samplesMs: samples, stopReason: next.stop, usage, meter };
    const first = samples.length === 0;
    const timed = await session.time(cmd, {
      timeoutMs: o.timeoutMs, warmup: first ? p.warmup : 0, runs: next.runs,
      longAfterMs: p.longAfterSec * 1000, longRuns: p.longRuns,
      veryLongAfterMs: p.veryLongAfterSec * 1000, veryLongRuns: p.veryLongRuns,
      priorMs: first ? o.checkMs : median([...samples].sort((a, b) => a - b)),
    });
    if (timed.changed) return { failure: sandboxFailure('timing', changedMessage('timing', timed.changed)) };
    if (timed.status !== 'exit' || timed.code !== 0) {
      const f = stepFailure('timing', { status: timed.status, code: timed.code, wallMs: 0, output: '', truncated: false }, o);
      return { failure: { ...f, message: `${f.message} (the check run had passed)` } };
    }
    // Unchecked days have nothing to compare against; they are never shown as correct either.
    const changed = o.checked ? timedOutputProblem(timed.outputs, timed.runOutputs, o.answers) : null;
    if (changed) return { failure: sandboxFailure('timing', changed) };
    cut = timed.samplesMs.length < next.runs;
    samples.push(...timed.samplesMs);
    // A batch without usage (an executor that measures none) leaves the whole result without it: never half of one.
    usage = timed.usage.length === timed.samplesMs.length && usage.length === samples.length - timed.samplesMs.length ? [...usage, ...timed.usage] : [];
    if (timed.meter === 'rusage') meter = 'rusage';
  }
}
