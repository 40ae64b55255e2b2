import { readFileSync } from 'node:fs';
import { findBusybox } from '../executor/agent-binary.ts';
import { memoryTree } from '../executor/memory-tree.ts';
import type { Executor } from '../executor/types.ts';

const DOCKERFILE = 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n';

/**
 * A busybox-only image built FROM scratch from the host's static busybox: no
 * registry is needed, so the demo (and the tests) work on an offline machine.
 */
export async function ensureBusyboxImage(executor: Executor, ref: string): Promise<void> {
  const busybox = findBusybox();
  if (!busybox) throw new Error('a static busybox is needed to build the demo image (Debian: apt-get install busybox-static)');
  const tree = memoryTree([
    { path: 'Dockerfile', kind: 'file', mode: 0o644, data: Buffer.from(DOCKERFILE) },
    { path: 'busybox', kind: 'file', mode: 0o755, data: readFileSync(busybox) },
  ]);
  const r = await executor.prepareImage({ kind: 'dockerfile', tree, dockerfile: 'Dockerfile', repoName: 'demo', maxBytes: 64 << 20, tag: ref });
  if (!r.ok) throw new Error(`building ${ref} failed:\n${r.log}`);
}
