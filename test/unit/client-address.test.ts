import { describe, expect, it } from 'vitest';
import { clientGroup } from '../../lib/client-address.ts';

describe('clientGroup (per-client limits of anonymous connections)', () => {
  it('is the socket address unless a proxy is trusted', () => {
    expect(clientGroup('10.0.0.5', '1.2.3.4', false)).toBe('10.0.0.5');
    expect(clientGroup('10.0.0.5', 'spoofed, 1.2.3.4', true)).toBe('1.2.3.4');
    expect(clientGroup('10.0.0.5', undefined, true)).toBe('10.0.0.5');
    expect(clientGroup('::ffff:10.0.0.5', undefined, false)).toBe('10.0.0.5');
  });

  it('counts the addresses of one IPv6 /64 as one client', () => {
    const a = clientGroup('2001:db8:1:2::1', undefined, false);
    expect(a).toBe('2001:db8:1:2::/64');
    expect(clientGroup('2001:db8:1:2:ffff:ffff:ffff:ffff', undefined, false)).toBe(a);
    expect(clientGroup('2001:db8:1:3::1', undefined, false)).not.toBe(a);
    expect(clientGroup('::1', undefined, false)).toBe('0:0:0:0::/64');
    expect(clientGroup('fe80::1%eth0', undefined, false)).toBe('fe80:0:0:0::/64');
  });
});
