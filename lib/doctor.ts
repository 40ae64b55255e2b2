/**
 * `aocbench doctor`: what the host offers a benchmark, judged from readings
 * the runner takes (files under /proc and /sys, a probe boot). Pure: the
 * readings come in as data, each check comes out as ok / warn / fail with
 * the one-line fix.
 */
export type Level = 'ok' | 'warn' | 'fail';

export interface Check {
  id: string;
  level: Level;
  message: string;
  fix?: string;
}

/** The host's own run-to-run variation, timed natively (runner/host/host-noise.ts), or why it could not be. */
export type HostNoise = { cv: number; medianMs: number; runs: number } | { error: string };

/** Above this run-to-run variation a host is too noisy for tight intervals: quiet ones vary a few per cent. */
export const NOISY_HOST_CV = 0.05;

export interface Readings {
  executor: 'docker' | 'vm';
  docker: { ok: boolean; version?: string; error?: string };
  qemu: { version: string | null };
  kernel: { path: string; version: string } | null;
  kvm: { device: boolean; probe: { ok: boolean; why: string } | null };
  accel: 'auto' | 'kvm' | 'tcg';
  /** Guest memory the VM reserves, MB. */
  guestMemoryMb: number;
  hugepages: { wanted: boolean; totalPages: number; freePages: number; pageKb: number };
  /** RLIMIT_MEMLOCK in bytes (null: unlimited), and whether we may lock anyway (root / CAP_IPC_LOCK). */
  memlock: { limitBytes: number | null; privileged: boolean };
  /** Host CPUs the vCPUs are pinned to (empty: not pinned). */
  pinned: number[];
  isolated: number[];
  nohzFull: number[];
  /** cpu -> its SMT siblings (itself included). */
  siblings: Record<number, number[]>;
  /** cpu -> scaling governor; empty when the host exposes none (e.g. it is itself a VM). */
  governors: Record<number, string>;
  /** true: turbo/boost on; null: not exposed. */
  turbo: boolean | null;
  /** The selected mode of /sys/kernel/mm/transparent_hugepage/enabled, or null. */
  thp: string | null;
  noise: HostNoise;
}

const list = (xs: number[]) => xs.join(',');

export function diagnose(r: Readings): Check[] {
  const vm = r.executor === 'vm';
  const need = (cond: boolean): Level => (cond ? 'fail' : 'warn');
  const checks: Check[] = [];
  const add = (id: string, level: Level, message: string, fix?: string) => checks.push({ id, level, message, ...(fix && level !== 'ok' ? { fix } : {}) });

  add('docker', r.docker.ok ? 'ok' : 'fail', r.docker.ok ? `Docker ${r.docker.version} is reachable` : `Docker is not reachable: ${r.docker.error}`, 'start dockerd and let this user use its socket (both executors build images with Docker)');
  add('qemu', r.qemu.version ? 'ok' : need(vm), r.qemu.version ? `${r.qemu.version}` : 'QEMU is not installed', 'apt-get install qemu-system-x86');
  add('kernel', r.kernel ? 'ok' : need(vm), r.kernel ? `guest kernel ${r.kernel.version} (${r.kernel.path})` : 'no guest kernel', 'unpack Debian\'s linux-image-*-cloud-amd64 into /usr/local/share/aocbench/kernel (docs/vm.md), or set vm.kernel');

  if (!r.kvm.device) {
    add('kvm', need(vm && r.accel === 'kvm'), 'no /dev/kvm: the VM executor can only emulate (TCG), and emulated times are not comparable', 'enable virtualisation in the firmware and load kvm_intel or kvm_amd');
  } else if (!r.kvm.probe) {
    add('kvm', 'warn', '/dev/kvm exists but no guest was booted to try it (no QEMU or no guest kernel)', 'install QEMU and a guest kernel, then run doctor again');
  } else if (r.kvm.probe.ok) {
    add('kvm', 'ok', `KVM is usable: ${r.kvm.probe.why}`);
  } else {
    const level: Level = vm && r.accel === 'kvm' ? 'fail' : 'warn';
    add('kvm', level, `KVM is not usable: /dev/kvm exists, but a guest did not boot on it (${r.kvm.probe.why})${r.accel === 'auto' ? '; accel: auto falls back to TCG' : ''}`, 'use a host whose CPU exposes VT-x or AMD-V to this system (not nested without it)');
  }

  const hpBytes = r.hugepages.freePages * r.hugepages.pageKb * 1024;
  const guestBytes = r.guestMemoryMb * 1024 * 1024;
  if (r.hugepages.wanted) {
    add('hugepages', hpBytes >= guestBytes ? 'ok' : need(vm), `${r.hugepages.freePages} of ${r.hugepages.totalPages} hugepages of ${r.hugepages.pageKb} kB free; the guest needs ${r.guestMemoryMb} MB`, `reserve them: echo ${Math.ceil(guestBytes / (r.hugepages.pageKb * 1024))} > /proc/sys/vm/nr_hugepages (or hugepages= on the kernel command line)`);
  } else {
    add('hugepages', r.hugepages.totalPages > 0 || !vm ? 'ok' : 'warn', r.hugepages.totalPages > 0 ? `${r.hugepages.totalPages} hugepages reserved (vm.hugepages is off)` : 'no hugepages reserved: guest memory comes from ordinary pages (preallocated and locked)', 'reserve hugepages and set vm.hugepages: true for the least fragmentation');
  }

  const lockOk = r.memlock.privileged || r.memlock.limitBytes === null || r.memlock.limitBytes >= guestBytes;
  add('memlock', lockOk ? 'ok' : need(vm), lockOk ? 'guest memory can be locked' : `the memlock limit (${Math.round((r.memlock.limitBytes ?? 0) / 1024)} kB) is below the guest's ${r.guestMemoryMb} MB`, 'raise it (ulimit -l unlimited, LimitMEMLOCK=infinity in the unit) or run as root');

  if (!vm) {
    // Docker mode pins nothing: the CPU checks below still tell how steady the host is.
  } else if (!r.pinned.length) {
    add('pinning', 'warn', 'vm.cpus is not set: the vCPUs float over all host CPUs', 'set vm.cpus to CPUs kept free for benchmarks, e.g. "2-3"');
  } else {
    const notIsolated = r.pinned.filter((c) => !r.isolated.includes(c));
    add('isolcpus', notIsolated.length ? 'warn' : 'ok', notIsolated.length ? `CPU(s) ${list(notIsolated)} are pinned but not isolated: the host schedules other work there` : `pinned CPUs ${list(r.pinned)} are isolated`, `boot with isolcpus=${list(r.pinned)} nohz_full=${list(r.pinned)}`);
    const noNohz = r.pinned.filter((c) => !r.nohzFull.includes(c));
    add('nohz_full', noNohz.length ? 'warn' : 'ok', noNohz.length ? `CPU(s) ${list(noNohz)} still take the scheduler tick` : 'pinned CPUs run tickless', `boot with nohz_full=${list(r.pinned)}`);
    const shared = r.pinned.flatMap((c) => (r.siblings[c] ?? [c]).filter((s) => s !== c && !r.pinned.includes(s)));
    add('smt', shared.length ? 'warn' : 'ok', shared.length ? `SMT siblings ${list([...new Set(shared)])} of the pinned CPUs are free for other work: they share a core with the benchmark` : 'no SMT sibling of a pinned CPU runs other work', 'pin both siblings of each core, or disable SMT (echo off > /sys/devices/system/cpu/smt/control)');
  }

  const govs = Object.entries(r.governors).filter(([c]) => !r.pinned.length || r.pinned.includes(Number(c)));
  if (!govs.length) add('governor', 'warn', 'the CPU frequency governor is not exposed (a VM, or no cpufreq driver): frequency may change under the benchmark', 'on bare metal: load the cpufreq driver and use the performance governor');
  else {
    const slow = govs.filter(([, g]) => g !== 'performance').map(([c]) => Number(c));
    add('governor', slow.length ? 'warn' : 'ok', slow.length ? `CPU(s) ${list(slow)} are not on the performance governor` : 'performance governor', 'cpupower frequency-set -g performance');
  }
  if (r.turbo === null) add('turbo', 'warn', 'turbo/boost is not exposed: it cannot be checked', 'on bare metal: turn turbo off for steadier times');
  else add('turbo', r.turbo ? 'warn' : 'ok', r.turbo ? 'turbo/boost is on: the clock depends on temperature and load' : 'turbo/boost is off', 'echo 1 > /sys/devices/system/cpu/intel_pstate/no_turbo (or 0 > /sys/devices/system/cpu/cpufreq/boost)');
  if (r.thp === null) add('thp', 'warn', 'transparent hugepages: not exposed');
  else add('thp', r.thp === 'always' ? 'warn' : 'ok', `transparent hugepages: ${r.thp}`, 'echo madvise > /sys/kernel/mm/transparent_hugepage/enabled (khugepaged then leaves benchmarks alone)');
  add(...noiseCheck(r.noise));
  return checks;
}

function noiseCheck(n: HostNoise): [string, Level, string, string] {
  const fix = 'benchmark on a host with no other load (a dedicated machine, or a VM on dedicated cores); with the VM executor, pin vm.cpus to isolated CPUs';
  if ('error' in n) return ['noise', 'warn', `the host's own noise could not be measured: ${n.error}`, fix];
  const pct = `${(n.cv * 100).toFixed(1)}%`;
  const what = `a shell loop timed natively ${n.runs} times (median ${n.medianMs.toFixed(1)} ms) varied ${pct} run to run`;
  if (n.cv <= NOISY_HOST_CV) return ['noise', 'ok', `${what}: a quiet host`, fix];
  return ['noise', 'warn', `${what}: this host is noisy (quiet ones vary a few per cent), so intervals will be wide, adaptive days will take more runs, and close solutions will tie`, fix];
}

/** Whether the configured executor can work at all: doctor exits 1 otherwise. */
export function usable(checks: Check[]): boolean {
  return !checks.some((c) => c.level === 'fail');
}

/** "0-2,5" as the kernel writes CPU lists. */
export function parseCpuList(text: string | null | undefined): number[] {
  const t = (text ?? '').trim();
  if (!t || t === '(null)') return [];
  return t.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
}
