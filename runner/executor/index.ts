import type { LoadedInstance } from '../../lib/seasons.ts';
import { DockerExecutor } from './docker.ts';
import type { Executor } from './types.ts';
import { VmExecutor } from './vm/vm.ts';

/** The executor an instance's config asks for (`executor:`; Docker by default). */
export function createExecutor(inst: LoadedInstance, warn: (message: string) => void = (m) => process.stderr.write(`aocbench: ${m}\n`)): Executor {
  if (inst.config.executor === 'vm') return new VmExecutor({ dataDir: inst.dataDir, vm: inst.config.vm, warn });
  return new DockerExecutor();
}
