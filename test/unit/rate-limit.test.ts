import { describe, expect, it } from 'vitest';
import { FailureLimiter } from '../../lib/rate-limit.ts';

describe('login failure limits', () => {
  it('refuses a client after its failures, until the window moves on', () => {
    const l = new FailureLimiter({ perClient: 3, overall: 100, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      expect(l.retryAfter('a', 1000 + i)).toBe(0);
      l.fail('a', 1000 + i);
    }
    expect(l.retryAfter('a', 2000)).toBe(59);
    expect(l.retryAfter('b', 2000)).toBe(0);
    expect(l.retryAfter('a', 61_001)).toBe(0);
  });

  it('holds an overall limit that changing client names cannot dodge', () => {
    const l = new FailureLimiter({ perClient: 3, overall: 5, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) l.fail(`spoofed-${i}`, 1000);
    expect(l.retryAfter('anyone-new', 1500)).toBeGreaterThan(0);
  });

  it('a success forgives the client', () => {
    const l = new FailureLimiter({ perClient: 2, overall: 100, windowMs: 60_000 });
    l.fail('a', 1);
    l.succeed('a');
    l.fail('a', 2);
    expect(l.retryAfter('a', 3)).toBe(0);
  });
});
