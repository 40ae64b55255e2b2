import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInstanceConfig, queueUrl } from '../../lib/instance-config.ts';
import { queueResultKey } from '../../runner/queue/result-key.ts';
import { tempDir } from '../helpers/git-repo.ts';

const cfg = (queue: string) => parseInstanceConfig(`year: 2024\nparticipants: []\nqueue:\n${queue}`);
const KEY_ENV = '  resultKeyEnv: AOCBENCH_RESULT_KEY\n';

describe('queue: in the instance config', () => {
  it('takes the Redis URL from the config or from the variable urlEnv names', () => {
    expect(queueUrl(cfg(`  url: redis://redis:6379\n${KEY_ENV}`).queue!, {})).toBe('redis://redis:6379');
    const q = cfg(`  urlEnv: AOCBENCH_QUEUE_URL\n${KEY_ENV}`).queue!;
    expect(q.hardwareClass).toBe('default');
    expect(queueUrl(q, { AOCBENCH_QUEUE_URL: 'redis://:pw@redis:6379' })).toBe('redis://:pw@redis:6379');
    expect(() => queueUrl(q, {})).toThrow(/AOCBENCH_QUEUE_URL is not set/);
    expect(() => queueUrl(q, { AOCBENCH_QUEUE_URL: 'http://x' })).toThrow(/does not hold a redis:\/\//);
  });

  it('wants exactly one of url and urlEnv, and a redis URL', () => {
    expect(() => cfg(`  hardwareClass: fast\n${KEY_ENV}`)).toThrow(/either url or urlEnv/);
    expect(() => cfg(`  url: redis://a\n  urlEnv: B\n${KEY_ENV}`)).toThrow(/either url or urlEnv/);
    expect(() => cfg(`  url: http://a\n${KEY_ENV}`)).toThrow(/redis:\/\//);
    expect(() => cfg(`  url: redis://a\n  hardwareClass: Fast!\n${KEY_ENV}`)).toThrow(/lower-case/);
  });
});

describe('the result-signing key of a queue', () => {
  it('is required: a queue without one is refused, naming both ways to give it', () => {
    let problem = '';
    try {
      cfg('  url: redis://a\n');
    } catch (e) {
      problem = (e as Error).message;
    }
    expect(problem).toMatch(/queue \(line 4\): give either resultKeyEnv .* or resultKeyFile/);
    expect(problem).toMatch(/openssl rand -hex 32/);
  });

  it('is given one way only, not both', () => {
    expect(() => cfg(`  url: redis://a\n${KEY_ENV}  resultKeyFile: /run/secrets/aocbench_result_key\n`)).toThrow(/either resultKeyEnv .* or resultKeyFile/);
  });

  it('comes from the variable resultKeyEnv names, 16 characters or more', () => {
    const q = cfg(`  url: redis://a\n${KEY_ENV}`).queue!;
    expect(queueResultKey(q, { AOCBENCH_RESULT_KEY: 'sixteen-chars-ok' }).toString()).toBe('sixteen-chars-ok');
    expect(() => queueResultKey(q, {})).toThrow(/queue.resultKeyEnv: the environment variable AOCBENCH_RESULT_KEY is not set/);
    expect(() => queueResultKey(q, { AOCBENCH_RESULT_KEY: 'fifteen-chars!!' })).toThrow(/AOCBENCH_RESULT_KEY holds a key shorter than 16 characters/);
  });

  it('comes from the file resultKeyFile names, without its trailing newline, relative to the working directory', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'key'), 'a-key-from-a-docker-secret\n');
    expect(queueResultKey(cfg(`  url: redis://a\n  resultKeyFile: ${join(dir, 'key')}\n`).queue!, {}).toString()).toBe('a-key-from-a-docker-secret');
    expect(queueResultKey(cfg('  url: redis://a\n  resultKeyFile: key\n').queue!, {}, dir).toString()).toBe('a-key-from-a-docker-secret');
    // The newline is not counted: 15 characters and a newline are too short.
    writeFileSync(join(dir, 'short'), 'fifteen-chars!!\n');
    expect(() => queueResultKey(cfg(`  url: redis://a\n  resultKeyFile: ${join(dir, 'short')}\n`).queue!, {})).toThrow(/holds a key shorter than 16 characters/);
  });

  it('refuses a key file that is missing, too large or not a file', () => {
    const dir = tempDir();
    const from = (file: string) => () => queueResultKey(cfg(`  url: redis://a\n  resultKeyFile: ${file}\n`).queue!, {});
    expect(from(join(dir, 'absent'))).toThrow(/queue.resultKeyFile: .*absent cannot be read \(ENOENT\)/);
    writeFileSync(join(dir, 'big'), 'k'.repeat(5000));
    expect(from(join(dir, 'big'))).toThrow(/larger than 4096 bytes/);
    expect(from(dir)).toThrow(/not a regular file/);
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    expect(from(join(dir, 'fifo'))).toThrow(/not a regular file/);
  });
});
