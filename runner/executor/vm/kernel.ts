import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { VmConfig } from '../../../lib/instance-config.ts';

export interface GuestKernel {
  kernel: string;
  version: string;
  /** Where its modules (virtio drivers) are; null when the kernel has them built in or none were found. */
  modulesDir: string | null;
}

/** Places a Debian linux-image-*-cloud-amd64 package may be unpacked in (`dpkg-deb -x PKG DIR`), besides `vm.kernel`. */
export function kernelRoots(vmDir: string): string[] {
  return [join(vmDir, 'kernel'), '/usr/local/share/aocbench/kernel'];
}

const versionOf = (kernel: string) => basename(kernel).replace(/^vmlinu[xz]-?/, '');

/** The guest kernel: `vm.kernel`, else the newest vmlinuz in an unpacked kernel package (kernelRoots). */
export function findKernel(vm: Pick<VmConfig, 'kernel' | 'modules'>, vmDir: string): GuestKernel | null {
  const withModules = (kernel: string): GuestKernel => {
    const version = versionOf(kernel);
    const guess = join(dirname(dirname(kernel)), 'lib', 'modules', version);
    const modulesDir = vm.modules ?? (existsSync(guess) ? guess : null);
    return { kernel, version, modulesDir };
  };
  if (vm.kernel) return existsSync(vm.kernel) ? withModules(vm.kernel) : null;
  for (const root of kernelRoots(vmDir)) {
    const boot = join(root, 'boot');
    if (!existsSync(boot)) continue;
    const found = readdirSync(boot).filter((f) => f.startsWith('vmlinuz-')).sort().pop();
    if (found) return withModules(join(boot, found));
  }
  return null;
}

/** The virtio drivers the guest loads, in dependency order (Debian's cloud kernel builds them as modules). */
export const GUEST_MODULES = ['virtio_ring', 'virtio', 'virtio_pci_legacy_dev', 'virtio_pci_modern_dev', 'virtio_pci', 'virtio_blk', 'virtio_console'];

/** Paths of GUEST_MODULES found under a modules dir (any depth), by module name. */
export function guestModules(modulesDir: string | null): Map<string, string> {
  const found = new Map<string, string>();
  if (!modulesDir || !existsSync(modulesDir)) return found;
  const want = new Set(GUEST_MODULES.map((m) => `${m}.ko`));
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (want.has(e.name)) found.set(e.name.slice(0, -3), join(dir, e.name));
    }
  };
  walk(join(modulesDir, 'kernel'));
  return found;
}
