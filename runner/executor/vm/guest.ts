import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureAgentBinary, findBusybox } from '../agent-binary.ts';
import { initramfs, type CpioEntry } from './cpio.ts';
import { guestModules, type GuestKernel } from './kernel.ts';

export const GUEST_INIT = join(dirname(fileURLToPath(import.meta.url)), 'guest-init.sh');

/** Writes a file whole or not at all: a crash mid-write leaves no half file behind to be used later. */
export function writeAtomic(file: string, data: Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/**
 * The guest's initramfs: the init script, a static busybox, the agent and
 * the kernel's virtio modules. Cached by content in the VM dir.
 */
export function ensureInitramfs(vmDir: string, kernel: GuestKernel): string {
  const busybox = findBusybox();
  if (!busybox) throw new Error('a static busybox is needed for the VM guest (Debian: apt-get install busybox-static)');
  const modules = guestModules(kernel.modulesDir);
  const files: CpioEntry[] = [
    ...['bin', 'dev', 'proc', 'sys', 'mnt', 'newroot', 'lib', 'lib/modules', 'aocbench', 'session', 'tmp'].map((name) => ({ name, kind: 'dir' as const, mode: 0o755 })),
    { name: 'dev/console', kind: 'char', mode: 0o600, major: 5, minor: 1 },
    { name: 'init', kind: 'file', mode: 0o755, data: readFileSync(GUEST_INIT) },
    { name: 'bin/busybox', kind: 'file', mode: 0o755, data: readFileSync(busybox) },
    { name: 'aocbench/agent', kind: 'file', mode: 0o755, data: readFileSync(ensureAgentBinary()) },
    ...[...modules].map(([m, path]) => ({ name: `lib/modules/${m}.ko`, kind: 'file' as const, mode: 0o644, data: readFileSync(path) })),
  ];
  const hash = createHash('sha256');
  for (const f of files) hash.update(f.name).update(f.kind === 'file' ? f.data : '');
  const out = join(vmDir, `initramfs-${hash.digest('hex').slice(0, 16)}.cpio.gz`);
  if (!existsSync(out)) writeAtomic(out, initramfs(files));
  return out;
}
