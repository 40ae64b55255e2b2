import { describe, expect, it } from 'vitest';
import { comparabilityKey, environments, envLabel, resultEnv } from '../../lib/env.ts';

describe('measurement environments', () => {
  const docker = resultEnv({ executor: 'docker', cpuModel: 'EPYC', kernel: '6.1', docker: '24' }, 'sha256:a');
  const vm = resultEnv({ executor: 'vm', accel: 'kvm', pinnedCpus: '2-3', memoryLocked: true, hugepages: true, cpuModel: 'EPYC', kernel: '6.1', guestKernel: '6.1-cloud' }, 'sha256:a');

  it('records what makes times comparable, per executor', () => {
    expect(docker).toEqual({ executor: 'docker', cpuModel: 'EPYC', kernel: '6.1', imageId: 'sha256:a' });
    expect(vm).toMatchObject({ executor: 'vm', accel: 'kvm', pinnedCpus: '2-3', memoryLocked: true, hugepages: true });
    expect(envLabel(vm)).toBe('VM (kvm, CPUs 2-3, memory locked, hugepages) on EPYC');
    expect(envLabel(docker)).toBe('Docker container on EPYC');
  });

  it('tells environments apart, but not by image: another image is the participant\'s own business', () => {
    expect(comparabilityKey(docker)).not.toBe(comparabilityKey(vm));
    expect(comparabilityKey({ ...docker, imageId: 'sha256:b' })).toBe(comparabilityKey(docker));
    const envs = environments([JSON.stringify(docker), JSON.stringify(vm), JSON.stringify(docker), null]);
    expect(envs.map((e) => [e.label, e.count])).toEqual([['Docker container on EPYC', 2], ['VM (kvm, CPUs 2-3, memory locked, hugepages) on EPYC', 1], ['an unrecorded environment', 1]]);
  });
});
