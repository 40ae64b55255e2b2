import { describe, expect, it } from 'vitest';
import { sampleColumns } from '../../db/queries/results.ts';
import { memoryBoard } from '../../lib/memory-board.ts';
import { indistinguishable } from '../../lib/ranking.ts';
import { cpuRatio, formatMemory, memoryTimed, summariseUsage } from '../../lib/usage.ts';
import { parseTimeReply } from '../../runner/executor/protocol.ts';

describe('run usage (issue 22)', () => {
  it('reads the agent\'s time reply: meter, peaks and CPU per sample, or none when they do not line up', () => {
    const r = parseTimeReply(['done', '7', 'exit', '0', '1000000,2000000', '0,0', '', 'cgroup', '10240,10300', '900,1800', '100,150']);
    expect(r.meter).toBe('cgroup');
    expect(r.usage).toEqual([{ peakKb: 10240, userMs: 0.9, sysMs: 0.1 }, { peakKb: 10300, userMs: 1.8, sysMs: 0.15 }]);
    expect(parseTimeReply(['done', '7', 'exit', '0', '1000000,2000000', '0,0', '', 'rusage', '10240', '900', '100']).usage).toEqual([]);
    expect(parseTimeReply(['done', '7', 'exit', '0', '1000000', '0']).usage).toEqual([]);
  });

  it('stores medians and the peak\'s interval beside the samples, and nothing when a sample has no usage', () => {
    const usage = [1, 2, 3, 4, 5, 6, 7].map((i) => ({ peakKb: 1000 + i, userMs: i, sysMs: 0.5 }));
    const c = sampleColumns([1, 2, 3, 4, 5, 6, 7], usage, 'cgroup');
    expect(c).toMatchObject({ peakMemoryKb: 1004, userMs: 4, sysMs: 0.5, memoryMeter: 'cgroup' });
    expect(c.memoryLowKb).toBeLessThanOrEqual(1004);
    expect(c.memoryHighKb).toBeGreaterThanOrEqual(1004);
    expect(JSON.parse(c.usage!)).toHaveLength(7);
    expect(sampleColumns([1, 2], usage.slice(0, 1), 'cgroup')).toMatchObject({ usage: null, peakMemoryKb: null, memoryMeter: null });
    expect(summariseUsage([])).toBeNull();
  });

  it('ties peaks within the tolerance, not further apart', () => {
    const a = memoryTimed({ peakMemoryKb: 10_000 });
    expect(indistinguishable(a, memoryTimed({ peakMemoryKb: 10_150 }))).toBe(true);
    expect(indistinguishable(a, memoryTimed({ peakMemoryKb: 10_600 }))).toBe(false);
    // Small peaks: 256 KiB apart is within the counter's batching.
    expect(indistinguishable(memoryTimed({ peakMemoryKb: 100 }), memoryTimed({ peakMemoryKb: 300 }))).toBe(true);
  });

  it('ranks a day by least memory among correct results, and totals memory points', () => {
    const r = (participantId: number, day: number, kb: number, status = 'correct') => ({ participantId, day, status, peakMemoryKb: kb, memoryLowKb: kb, memoryHighKb: kb });
    const b = memoryBoard([r(1, 1, 5000), r(2, 1, 20_000), r(3, 1, 1000, 'wrong'), r(3, 2, 800), r(1, 2, 9000), r(4, 1, 5020)], [1, 2, 3, 4]);
    expect(b.days[0].ranked.map((x) => [x.participantId, x.rank, x.medal])).toEqual([[1, 1, 'gold'], [4, 1, 'gold'], [2, 3, 'bronze']]);
    expect(b.standings.map((s) => [s.participantId, s.points, s.rank])).toEqual([[1, 7, 1], [3, 4, 2], [4, 4, 2], [2, 2, 4]]);
  });

  it('says CPU time against wall time, and memory as people read it', () => {
    expect(cpuRatio({ userMs: 19, sysMs: 1, medianMs: 10 })).toBe(2);
    expect(cpuRatio({ userMs: null, sysMs: null, medianMs: 10 })).toBeNull();
    expect([formatMemory(512), formatMemory(2048), formatMemory(40_960), formatMemory(3 * 1024 * 1024)]).toEqual(['512 KB', '2.00 MB', '40.0 MB', '3.00 GB']);
  });
});
