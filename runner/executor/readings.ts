import Docker from 'dockerode';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dataPaths } from '../../lib/data-dir.ts';
import type { Readings } from '../../lib/doctor.ts';
import { guestMemoryMb } from '../../lib/instance-config.ts';
import type { LoadedInstance } from '../../lib/seasons.ts';
import { ensureInitramfs } from './vm/guest.ts';
import { findKernel } from './vm/kernel.ts';
import { probeAccel, QEMU } from './vm/qemu.ts';

/**
 * What the executors say of this host for `aocbench doctor`, whichever is
 * configured (both build images with Docker; the VM also needs QEMU, a guest
 * kernel and, to be comparable, KVM). The KVM probe boots a tiny guest (a
 * few seconds at most).
 */
export async function executorReadings(inst: LoadedInstance): Promise<Pick<Readings, 'docker' | 'qemu' | 'kernel' | 'kvm' | 'guestMemoryMb'>> {
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
  return { docker, qemu, kernel: k ? { path: k.kernel, version: k.version } : null, kvm: { device, probe }, guestMemoryMb: guestMemoryMb(cfg.vm, cfg.limits.memoryMb) };
}
