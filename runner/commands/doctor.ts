import Docker from 'dockerode';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dataPaths } from '../../lib/data-dir.ts';
import { diagnose, parseCpuList, type Check, type Readings } from '../../lib/doctor.ts';
import type { LoadedInstance } from '../../lib/instance-config.ts';
import { ensureInitramfs } from '../executor/vm/guest.ts';
import { findKernel } from '../executor/vm/kernel.ts';
import { probeAccel, QEMU } from '../executor/vm/qemu.ts';

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

/** The readings of this host that `diagnose` judges; the KVM probe boots a tiny guest (a few seconds at most). */
export async function takeReadings(inst: LoadedInstance): Promise<Readings> {
  const cfg = inst.config;
  const vmDir = dataPaths(inst.dataDir).vm;
  const docker = await new Docker().version().then((v) => ({ ok: true, version: v.Version }), (e: Error) => ({ ok: false, error: e.message }));
  const q = spawnSync(QEMU, ['--version'], { encoding: 'utf8' });
  const qemu = { version: q.status === 0 ? q.stdout.split('\n')[0] : null };
  const k = findKernel(cfg.vm, vmDir);
  const device = existsSync('/dev/kvm');
  let probe: Readings['kvm']['probe'] = null;
  if (device && qemu.version && k) {
    const initrd = cfg.vm.initrd ?? ensureInitramfs(vmDir, k);
    probe = await probeAccel('kvm', k.kernel, initrd, 20_000);
  }
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
    docker,
    qemu,
    kernel: k ? { path: k.kernel, version: k.version } : null,
    kvm: { device, probe },
    accel: cfg.vm.accel,
    guestMemoryMb: cfg.vm.memoryMb ?? cfg.limits.memoryMb + 256,
    hugepages: { wanted: cfg.vm.hugepages, totalPages: meminfo('HugePages_Total'), freePages: meminfo('HugePages_Free'), pageKb: meminfo('Hugepagesize') || 2048 },
    memlock: { limitBytes: lock === undefined || lock === 'unlimited' ? null : Number(lock), privileged: process.getuid?.() === 0 || (capEff & (1n << 14n)) !== 0n },
    pinned: parseCpuList(cfg.vm.cpus),
    isolated: parseCpuList(read('/sys/devices/system/cpu/isolated')),
    nohzFull: parseCpuList(read('/sys/devices/system/cpu/nohz_full')),
    siblings,
    governors,
    turbo: noTurbo !== null ? noTurbo === '0' : boost !== null ? boost === '1' : null,
    thp: /\[(\w+)\]/.exec(read('/sys/kernel/mm/transparent_hugepage/enabled') ?? '')?.[1] ?? null,
  };
}

export async function doctor(inst: LoadedInstance): Promise<Check[]> {
  return diagnose(await takeReadings(inst));
}

export function formatChecks(checks: Check[]): string {
  const mark = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };
  return `${checks.map((c) => `${mark[c.level]}  ${c.id.padEnd(10)} ${c.message}${c.fix ? `\n${' '.repeat(17)}fix: ${c.fix}` : ''}`).join('\n')}\n`;
}
