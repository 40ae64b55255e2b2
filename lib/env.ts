/**
 * The environment a result was measured in. Times are comparable only
 * within one: another executor, accelerator, CPU or pinning is another clock.
 */
export interface MeasureEnv {
  executor: string;
  accel?: string;
  pinnedCpus?: string | null;
  memoryLocked?: boolean;
  hugepages?: boolean;
  cpuModel?: string;
  kernel?: string;
  guestKernel?: string;
  imageId?: string;
  /** With a queue: the benchmark host that measured it, and its hardware class. */
  host?: string;
  hardwareClass?: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** A result's environment from the cycle's hardware summary (host and executor) and the image it ran in. */
export function resultEnv(hardware: Record<string, unknown>, imageId: string): MeasureEnv {
  const e: MeasureEnv = { executor: str(hardware.executor) ?? 'docker', cpuModel: str(hardware.cpuModel), kernel: str(hardware.kernel), imageId };
  if (e.executor === 'vm') {
    Object.assign(e, { accel: str(hardware.accel), pinnedCpus: str(hardware.pinnedCpus) ?? null, memoryLocked: hardware.memoryLocked === true, hugepages: hardware.hugepages === true, guestKernel: str(hardware.guestKernel) });
  }
  return e;
}

export function parseEnv(json: string | null | undefined): MeasureEnv | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as MeasureEnv;
  } catch {
    return null;
  }
}

/** What must be equal for two times to be compared. */
export function comparabilityKey(e: MeasureEnv | null): string {
  return e ? [e.executor, e.accel ?? '', e.pinnedCpus ?? '', e.cpuModel ?? '', e.hardwareClass ?? ''].join('|') : 'unknown';
}

export function envLabel(e: MeasureEnv | null): string {
  if (!e) return 'an unrecorded environment';
  const vm = e.executor === 'vm'
    ? `VM (${[e.accel === 'tcg' ? 'software emulation' : e.accel, e.pinnedCpus ? `CPUs ${e.pinnedCpus}` : 'unpinned', e.memoryLocked ? 'memory locked' : '', e.hugepages ? 'hugepages' : ''].filter(Boolean).join(', ')})`
    : 'Docker container';
  return `${vm} on ${e.cpuModel ?? 'an unknown CPU'}${e.hardwareClass ? ` (hardware class ${e.hardwareClass})` : ''}`;
}

/** The environments of a set of results, most used first. */
export function environments(envJson: Array<string | null | { env: string | null; count: number }>): Array<{ key: string; label: string; count: number }> {
  const seen = new Map<string, { key: string; label: string; count: number }>();
  for (const j of envJson) {
    // A GROUP BY env row counts for its results: 250,000 results are a handful of environments.
    const { env, count } = j !== null && typeof j === 'object' ? j : { env: j, count: 1 };
    const e = parseEnv(env);
    const key = comparabilityKey(e);
    const entry = seen.get(key) ?? { key, label: envLabel(e), count: 0 };
    entry.count += count;
    seen.set(key, entry);
  }
  return [...seen.values()].sort((a, b) => b.count - a.count);
}
