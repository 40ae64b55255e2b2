import type Docker from 'dockerode';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBusybox } from '../executor/agent-binary.ts';
import { followProgress } from '../images.ts';

/**
 * A busybox-only image built FROM scratch from the host's static busybox: no
 * registry is needed, so the demo (and the tests) work on an offline machine.
 */
export async function ensureBusyboxImage(docker: Docker, ref: string): Promise<void> {
  const exists = await docker.getImage(ref).inspect().then(() => true, () => false);
  if (exists) return;
  const busybox = findBusybox();
  if (!busybox) throw new Error('a static busybox is needed to build the demo image (Debian: apt-get install busybox-static)');
  const ctx = mkdtempSync(join(tmpdir(), 'aocbench-busybox-'));
  try {
    copyFileSync(busybox, join(ctx, 'busybox'));
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n');
    const stream = await docker.buildImage({ context: ctx, src: ['Dockerfile', 'busybox'] }, { t: ref, rm: true });
    await followProgress(docker, stream).catch((e: Error) => {
      throw new Error(`building ${ref} failed: ${e.message}`);
    });
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}
