import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { gzipSync } from 'node:zlib';
import { VIEW_PARAMS } from '../_lib/view-keys.ts';

/**
 * Whole responses of the public pages, kept until the data changes.
 *
 * A leaderboard is read far more than it changes: a view served from here
 * costs no SQLite query and no React render. Entries belong to one data
 * version and are dropped when it moves; a short age limit covers the few
 * parts that depend on the clock ("no runner seen for 2 min", unlocked days).
 */
export interface CachedPage {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  gzip: Buffer | null;
  at: number;
}

/** Pages whose content depends only on the URL and the database. Admin, forms, logs and live endpoints are not among them. */
const PUBLIC = [
  /^\/$/,
  /^\/(rankings|memory|matrix|health|days|participants)(\/[^/]+)?$/,
  /^\/hardware$/,
  // An older season's pages (/2023/...) and every season's.
  /^\/\d{4}(\/(rankings|memory|matrix|health|days|participants)(\/[^/]+)?|\/hardware)?$/,
  /^\/seasons(\/[^/]+)?$/,
  // The whole-board exports are not here: they stream from their own file, one per version, with an ETag (app/_lib/results-file.ts).
  /^\/api\/(times\.json|cell|participants\/[^/]+|days\/\d+)$/,
  /^\/times\.json$/,
];
const EXCLUDED = [/^(\/\d{4})?\/matrix\/submit$/];

/** Request headers Next.js renders differently by (its own Vary list): client navigations get an RSC payload, not HTML. */
const VARY = ['rsc', 'next-router-state-tree', 'next-router-prefetch', 'next-router-segment-prefetch', 'next-url'];

/** Long query strings are someone probing, not a view worth keeping. */
const MAX_KEY = 2048;

/** The cache key of a request, or null when the request must go to Next.js as it is. */
export function cacheKey(method: string | undefined, url: string | undefined, headers: IncomingHttpHeaders): string | null {
  if ((method !== 'GET' && method !== 'HEAD') || !url || url.length > MAX_KEY) return null;
  // The board itself, the most viewed page: nothing to parse.
  if (url === '/') return `/?\u0000${VARY.map((h) => headers[h] ?? '').join('\u0000')}`;
  let u: URL;
  try {
    u = new URL(url, 'http://x');
  } catch {
    return null; // e.g. `//`: Next.js answers it (a redirect)
  }
  if (!PUBLIC.some((re) => re.test(u.pathname)) || EXCLUDED.some((re) => re.test(u.pathname))) return null;
  // Parameters no view reads make no other page (app/_lib/view-keys.ts); the same view asked for with its parameters in another order is the same page.
  for (const k of [...u.searchParams.keys()]) if (!VIEW_PARAMS.has(k)) u.searchParams.delete(k);
  u.searchParams.sort();
  const vary = VARY.map((h) => headers[h] ?? '').join('\u0000');
  return `${u.pathname}?${u.searchParams}\u0000${vary}`;
}

export class PageCache {
  private entries = new Map<string, CachedPage>();
  private bytes = 0;
  private version: number | null = null;
  hits = 0;
  misses = 0;

  constructor(
    private readonly limits = { maxEntries: 1000, maxBytes: 64 * 1024 * 1024, maxAgeMs: 30_000, maxPageBytes: 8 * 1024 * 1024 },
  ) {}

  /** Drops everything when the data version moved since the last call. */
  sync(version: number): void {
    if (version === this.version) return;
    this.version = version;
    this.entries.clear();
    this.bytes = 0;
  }

  get(key: string, now = Date.now()): CachedPage | null {
    const e = this.entries.get(key);
    if (!e) return null;
    if (now - e.at > this.limits.maxAgeMs) {
      this.remove(key, e);
      return null;
    }
    // Least recently used goes first: re-inserting moves the key to the end.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  /** Keeps a finished 200 response without cookies; returns the entry, or null when it is not kept. */
  put(key: string, version: number, status: number, headers: OutgoingHttpHeaders, body: Buffer): CachedPage | null {
    if (version !== this.version || status !== 200 || headers['set-cookie'] || body.length > this.limits.maxPageBytes) return null;
    // Compressed once per version instead of once per view.
    const gzip = body.length > 1024 ? gzipSync(body, { level: 6 }) : null;
    const entry: CachedPage = { status, headers, body, gzip, at: Date.now() };
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    this.entries.set(key, entry);
    this.bytes += size(entry);
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break;
      this.remove(k, e);
    }
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(key: string, e: CachedPage): void {
    this.entries.delete(key);
    this.bytes -= size(e);
  }
}

const size = (e: CachedPage) => e.body.length + (e.gzip?.length ?? 0);
