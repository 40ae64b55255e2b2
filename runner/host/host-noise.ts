import { toCommandSpec } from '../../lib/command.ts';
import type { HostNoise } from '../../lib/doctor.ts';
import { computeStats } from '../../lib/stats.ts';
import { nativeTime } from './native-time.ts';

/**
 * The host's own run-to-run variation, measured natively: a shell counting
 * loop (on every host, interpreter work like a solution's, 20-40 ms) timed
 * by the agent 30 times in three batches a moment apart. Runs on a quiet
 * host vary a few per cent (the demo's awk day did 2-3% in a quiet minute of
 * the development machine); on a busy shared one 20-30%, in bursts of
 * seconds, and every solution's interval with them, whatever the sandbox.
 */
const LOOP = `/bin/sh -c 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done'`;

export async function measureHostNoise(): Promise<HostNoise> {
  try {
    const samples: number[] = [];
    for (let batch = 0; batch < 3; batch++) {
      const reply = await nativeTime(toCommandSpec(LOOP), { timeoutMs: 5_000, warmup: batch ? 0 : 1, runs: 10, longAfterMs: 1e9, longRuns: 10, veryLongAfterMs: 1e9, veryLongRuns: 10 }, 30_000);
      if (reply.status !== 'exit' || reply.code !== 0 || !reply.samplesMs.length) return { error: `the shell loop ended with ${reply.status} ${reply.code}` };
      samples.push(...reply.samplesMs);
    }
    const s = computeStats(samples)!;
    return { cv: s.stddev / s.mean, medianMs: s.median, runs: s.n };
  } catch (e) {
    return { error: (e as Error).message };
  }
}
