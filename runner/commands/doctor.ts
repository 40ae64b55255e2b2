import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { diagnose, parseCpuList, type Check, type Readings } from '../../lib/doctor.ts';
import type { LoadedInstance } from '../../lib/seasons.ts';
import { executorReadings } from '../executor/readings.ts';
import { measureHostNoise } from '../host/host-noise.ts';

const read = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
};

const cpuDirs = () => (existsSync('/sys/devices/system/cpu') ? readdirSync('/sys/devices/system/cpu').filter((d) => /^cpu\d+$/.test(d)).map((d) => Number(d.slice(3))) : []);

function meminfo(key: string): number {
  return Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(read('/proc/meminfo') ?? '')?.[1] ?? 0);
}

/** The readings of this host that `diagnose` judges: the executors' (executor/readings.ts), the CPUs' and memory's, and its own noise. */
export async function takeReadings(inst: LoadedInstance): Promise<Readings> {
  const cfg = inst.config;
  const executors = await executorReadings(inst);
  // Timed after the executors' probes (a guest boot), not beside them.
  const noise = await measureHostNoise();
  const limits = read('/proc/self/limits') ?? '';
  const lock = /^Max locked memory\s+(\S+)/m.exec(limits)?.[1];
  const capEff = BigInt(`0x${/^CapEff:\s+([0-9a-f]+)/m.exec(read('/proc/self/status') ?? '')?.[1] ?? '0'}`);
  const cpus = cpuDirs();
  const governors: Record<number, string> = {};
  const siblings: Record<number, number[]> = {};
  for (const c of cpus) {
    const g = read(`/sys/devices/system/cpu/cpu${c}/cpufreq/scaling_governor`);
    if (g) governors[c] = g;
    siblings[c] = parseCpuList(read(`/sys/devices/system/cpu/cpu${c}/topology/thread_siblings_list`) ?? String(c));
  }
  const noTurbo = read('/sys/devices/system/cpu/intel_pstate/no_turbo');
  const boost = read('/sys/devices/system/cpu/cpufreq/boost');
  return {
    executor: cfg.executor,
    ...executors,
    accel: cfg.vm.accel,
    hugepages: { wanted: cfg.vm.hugepages, totalPages: meminfo('HugePages_Total'), freePages: meminfo('HugePages_Free'), pageKb: meminfo('Hugepagesize') || 2048 },
    memlock: { limitBytes: lock === undefined || lock === 'unlimited' ? null : Number(lock), privileged: process.getuid?.() === 0 || (capEff & (1n << 14n)) !== 0n },
    pinned: parseCpuList(cfg.vm.cpus),
    isolated: parseCpuList(read('/sys/devices/system/cpu/isolated')),
    nohzFull: parseCpuList(read('/sys/devices/system/cpu/nohz_full')),
    siblings,
    governors,
    turbo: noTurbo !== null ? noTurbo === '0' : boost !== null ? boost === '1' : null,
    thp: /\[(\w+)\]/.exec(read('/sys/kernel/mm/transparent_hugepage/enabled') ?? '')?.[1] ?? null,
    noise,
  };
}

export async function doctor(inst: LoadedInstance): Promise<Check[]> {
  return diagnose(await takeReadings(inst));
}

export function formatChecks(checks: Check[]): string {
  const mark = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };
  return `${checks.map((c) => `${mark[c.level]}  ${c.id.padEnd(10)} ${c.message}${c.fix ? `\n${' '.repeat(17)}fix: ${c.fix}` : ''}`).join('\n')}\n`;
}
