import type Docker from 'dockerode';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { bootArgs, consoleTail, exited, startQemu } from './qemu.ts';

export interface GuestBoot {
  accel: 'kvm' | 'tcg';
  kernel: string;
  initrd: string;
}

/** How long building one root file system may take (a large image under software emulation is slow). */
const BUILD_TIMEOUT_MS = 20 * 60_000;

const safeName = (imageId: string) => imageId.replace(/^sha256:/, '').replace(/[^A-Za-z0-9]/g, '').slice(0, 24);

/** A sparse file of `mb` megabytes: space is only used as the guest writes. */
export function sparseDisk(file: string, mb: number): void {
  writeFileSync(file, '');
  truncateSync(file, mb * 1024 * 1024);
}

/**
 * The participant's image as an ext4 disk for the guest, built once per
 * image id. The host only streams `docker export` into a tar file; a build
 * guest unpacks it into the new file system, so the host never unpacks
 * (or follows a link in) anything the participant's Dockerfile made. The file
 * system has `headroomMb` free: what a session may write is bounded by it.
 */
export async function ensureRootfs(docker: Docker, vmDir: string, imageId: string, boot: GuestBoot, headroomMb: number): Promise<string> {
  const dir = join(vmDir, 'rootfs');
  const out = join(dir, `${safeName(imageId)}-${headroomMb}.img`);
  if (existsSync(out)) return out;
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(dir, 'build-'));
  try {
    const tar = join(work, 'image.tar');
    const c = await docker.createContainer({ Image: imageId, Entrypoint: ['/nonexistent'], Labels: { aocbench: '1' }, NetworkDisabled: true, HostConfig: { NetworkMode: 'none' } });
    try {
      await pipeline(await c.export(), createWriteStream(tar));
    } finally {
      await c.remove({ force: true }).catch(() => {});
    }
    const img = join(work, 'rootfs.img');
    const tarMb = Math.ceil(statSync(tar).size / (1024 * 1024));
    sparseDisk(img, Math.ceil(tarMb * 1.3) + 64 + headroomMb);
    const consoleLog = join(work, 'console.log');
    const qemu = startQemu({ ...boot, memoryMb: 256, cpus: [], hugepages: false, memLock: false, append: bootArgs('build'), consoleLog, drives: [{ file: tar, readonly: true }, { file: img }] }, work);
    const timer = setTimeout(() => qemu.kill('SIGKILL'), BUILD_TIMEOUT_MS);
    await exited(qemu);
    clearTimeout(timer);
    const log = consoleTail(consoleLog);
    if (!log.includes('build-ok')) throw new Error(`building the guest's root file system failed: ${log.trim().split('\n').slice(-3).join(' ') || 'the build guest said nothing'}`);
    renameSync(img, out);
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
