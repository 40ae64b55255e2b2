import { describe, expect, it } from 'vitest';
import { parseInstanceConfig, queueUrl } from '../../lib/instance-config.ts';

const cfg = (queue: string) => parseInstanceConfig(`year: 2024\nparticipants: []\nqueue:\n${queue}`);

describe('queue: in the instance config', () => {
  it('takes the Redis URL from the config or from the variable urlEnv names', () => {
    expect(queueUrl(cfg('  url: redis://redis:6379\n').queue!, {})).toBe('redis://redis:6379');
    const q = cfg('  urlEnv: AOCBENCH_QUEUE_URL\n').queue!;
    expect(q.hardwareClass).toBe('default');
    expect(queueUrl(q, { AOCBENCH_QUEUE_URL: 'redis://:pw@redis:6379' })).toBe('redis://:pw@redis:6379');
    expect(() => queueUrl(q, {})).toThrow(/AOCBENCH_QUEUE_URL is not set/);
    expect(() => queueUrl(q, { AOCBENCH_QUEUE_URL: 'http://x' })).toThrow(/does not hold a redis:\/\//);
  });

  it('wants exactly one of url and urlEnv, and a redis URL', () => {
    expect(() => cfg('  hardwareClass: fast\n')).toThrow(/either url or urlEnv/);
    expect(() => cfg('  url: redis://a\n  urlEnv: B\n')).toThrow(/either url or urlEnv/);
    expect(() => cfg('  url: http://a\n')).toThrow(/redis:\/\//);
    expect(() => cfg('  url: redis://a\n  hardwareClass: Fast!\n')).toThrow(/lower-case/);
  });
});
