import type Docker from 'dockerode';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ensureAgentBinary, findBusybox } from './agent-binary.ts';
import { tarOf } from './tar.ts';

/** Where the tools appear in every container (read-only). */
export const TOOLS_DIR = '/.aocbench';
export const AGENT_PATH = `${TOOLS_DIR}/agent`;
export const BUSYBOX_PATH = `${TOOLS_DIR}/busybox`;

export interface Tools {
  volume: string;
  busybox: boolean;
}

/**
 * The agent and a static busybox, in a named Docker volume mounted read-only
 * into every container. A volume rather than a bind mount: no host path is
 * visible inside the sandbox (/proc/self/mountinfo), and the Docker host need
 * not share a directory with aocbench when aocbench itself runs in a container.
 * Named by a hash of its content, so a new agent gets a new volume and a
 * container still running the old one is never disturbed.
 */
export async function ensureToolsVolume(docker: Docker, image: string): Promise<Tools> {
  const agent = readFileSync(ensureAgentBinary());
  const bbPath = findBusybox();
  const files = [{ path: 'agent', data: agent }, ...(bbPath ? [{ path: 'busybox', data: readFileSync(bbPath) }] : [])].map((f) => ({ ...f, kind: 'file' as const, mode: 0o755 }));
  const hash = createHash('sha256');
  for (const f of files) hash.update(f.path).update(f.data);
  const volume = `aocbench-tools-${hash.digest('hex').slice(0, 16)}`;
  const tools = { volume, busybox: !!bbPath };
  const exists = await docker.getVolume(volume).inspect().then(() => true, () => false);
  if (exists) return tools;
  await docker.createVolume({ Name: volume, Labels: { aocbench: '1', 'aocbench.tools': '1' } });
  // Filled through a container that is created but never started: Docker writes the files, nothing runs.
  const helper = await docker.createContainer({
    Image: image,
    Entrypoint: ['/nonexistent'],
    Labels: { aocbench: '1' },
    NetworkDisabled: true,
    HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: volume, Target: '/tools' }] },
  });
  try {
    await helper.putArchive(await tarOf(files), { path: '/tools' });
  } catch (e) {
    await docker.getVolume(volume).remove().catch(() => {});
    throw new Error(`cannot fill the tools volume ${volume}: ${(e as Error).message}`);
  } finally {
    await helper.remove({ force: true }).catch(() => {});
  }
  return tools;
}
