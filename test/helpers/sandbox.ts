import type { SessionSpec } from '../../runner/executor/types.ts';

/** A session spec with no code and no persistence unless given: for tests of the sandbox itself. */
export function bareSpec(s: Partial<SessionSpec> & Pick<SessionSpec, 'name' | 'image'>): SessionSpec {
  return {
    workdir: '/',
    env: [],
    code: '/code',
    tree: [],
    persistence: [],
    limits: { memoryMb: 64, pids: 32, outputBytes: 4096, diskBytes: 1 << 30 },
    ...s,
  };
}
