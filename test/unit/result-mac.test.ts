import { describe, expect, it } from 'vitest';
import { ForgedResult, canonical, openResult, signResult } from '../../runner/queue/result-mac.ts';

const key = Buffer.from('a-key-of-sixteen-or-more');
const data = { participant: 'ada', day: 1, queuedAt: 5 };
const result = { outcome: { status: 'correct', samples: [1.5, 1.6] }, env: { executor: 'docker' } };

describe('signed queue results', () => {
  it('opens a result signed for the same job, whatever the key order', () => {
    const s = signResult(key, 'job-a', data, result);
    expect(openResult(key, 'job-a', { queuedAt: 5, day: 1, participant: 'ada' }, JSON.parse(JSON.stringify(s)))).toEqual(result);
    expect(canonical({ b: 1, a: [undefined, 2] })).toBe('{"a":[null,2],"b":1}');
  });
  it('refuses a result replayed onto another job, altered, signed with another key, or unsigned', () => {
    const s = signResult(key, 'job-a', data, result);
    expect(() => openResult(key, 'job-b', data, s)).toThrow(ForgedResult);
    expect(() => openResult(key, 'job-a', { ...data, queuedAt: 6 }, s)).toThrow(ForgedResult);
    expect(() => openResult(key, 'job-a', data, { ...s, signed: { ...result, outcome: { status: 'correct', samples: [0.001] } } })).toThrow(ForgedResult);
    expect(() => openResult(Buffer.from('another-key-of-16-chars'), 'job-a', data, s)).toThrow(ForgedResult);
    expect(() => openResult(key, 'job-a', data, result)).toThrow(ForgedResult);
    expect(() => openResult(key, 'job-a', data, { signed: result, mac: 'ab' })).toThrow(ForgedResult);
  });
});
