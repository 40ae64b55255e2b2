import { isIPv6 } from 'node:net';

/**
 * Who a visitor is, for per-client limits on anonymous connections.
 * Behind a trusted proxy (web.trustProxy) that is the last X-Forwarded-For
 * entry, which the proxy adds; otherwise the socket's address (a client
 * could name itself anything in the header). An IPv6 client usually has a
 * whole /64, so its addresses count as one.
 */
export function clientGroup(remote: string | undefined, forwardedFor: string | string[] | undefined, trustProxy: boolean): string {
  const named = trustProxy ? lastForwardedFor(Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor) : undefined;
  const addr = (named ?? remote ?? 'unknown').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  return isIPv6(addr) ? `${ipv6Prefix64(addr)}::/64` : addr;
}

/** The last X-Forwarded-For entry: the one the nearest proxy (ours) added. */
export function lastForwardedFor(header: string | null | undefined): string | undefined {
  return (header ?? '').split(',').map((s) => s.trim()).filter(Boolean).pop();
}

/** The first four groups of an IPv6 address, `::` expanded. */
function ipv6Prefix64(addr: string): string {
  const [head, tail = ''] = addr.split('%')[0].split('::');
  const h = head ? head.split(':') : [];
  const t = addr.includes('::') && tail ? tail.split(':') : [];
  const groups = addr.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.slice(0, 4).map((g) => (parseInt(g, 16) || 0).toString(16)).join(':');
}
