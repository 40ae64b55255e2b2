import type Docker from 'dockerode';
import { cpus, release, totalmem } from 'node:os';

/** What the timings were measured on, stored with every cycle. */
export async function hardwareSummary(docker: Docker): Promise<Record<string, unknown>> {
  const c = cpus();
  const v = await docker.version().catch(() => null);
  return {
    cpuModel: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryBytes: totalmem(),
    kernel: release(),
    docker: v?.Version ?? 'unknown',
    node: process.version,
  };
}
