import { cpus, release, totalmem } from 'node:os';
import type { Executor, Limits } from '../executor/types.ts';

/** What the timings were measured on, stored with every cycle: the host, and the executor's own account. */
export async function hardwareSummary(executor: Executor, limits: Pick<Limits, 'memoryMb'>): Promise<Record<string, unknown>> {
  const c = cpus();
  return {
    cpuModel: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryBytes: totalmem(),
    kernel: release(),
    node: process.version,
    ...(await executor.environment(limits)),
  };
}
