import { execFileSync } from 'node:child_process';
import { buildTestImages } from './images.ts';
import { ensureAgentBinary } from '../../runner/executor/agent-binary.ts';

/** Integration tests need a running Docker daemon; say so plainly instead of failing later. */
export default async function setup(): Promise<void> {
  try {
    execFileSync('docker', ['info'], { stdio: 'pipe' });
  } catch {
    throw new Error('Docker is not reachable: start dockerd (see .ci/run) before running the tests.');
  }
  ensureAgentBinary();
  await buildTestImages();
}
