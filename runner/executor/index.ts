import type { InstanceConfig } from '../../lib/instance-config.ts';
import { DockerExecutor } from './docker.ts';
import type { Executor } from './types.ts';

/** The executor an instance's config asks for (`executor:`; Docker by default). */
export function createExecutor(_config: InstanceConfig): Executor {
  return new DockerExecutor();
}
