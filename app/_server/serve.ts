import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, get as httpGet, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import next from 'next';
import { inSeason, openDataDb } from '../../db/client.ts';
import { pickSeason } from '../../lib/seasons.ts';
import { contentWatch, liveStatus } from '../../db/queries/live.ts';
import { loadInstance } from '../../db/instance.ts';
import { LiveEvents } from './live-events.ts';
import { cacheKey, PageCache, type CachedPage } from './page-cache.ts';
import { captureResponse } from './capture.ts';
import { sendExport } from './results-export.ts';
import { exportKindOf } from '../_lib/results-file.ts';
import { DOCUMENT_HEADER } from '../_lib/html-stash.ts';
import { nameIndex, searchNames } from '../../db/queries/search.ts';

const ROOT = join(import.meta.dirname, '../..');

/** `next build` once, when there is no build yet (`npm run build` after changing the code). */
export function ensureSiteBuilt(): void {
  const dist = process.env.NEXT_DIST_DIR ?? '.next';
  if (existsSync(join(ROOT, dist, 'BUILD_ID'))) return;
  process.stderr.write('building the site (once; `npm run build` after changing the code)\n');
  const b = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], { stdio: 'inherit', cwd: ROOT });
  if (b.status !== 0) throw new Error('next build failed');
}

export interface WebOptions {
  port: number;
  host?: string;
  /** Where request failures are reported. */
  log?: (line: string) => void;
}

export interface RunningWeb {
  server: Server;
  cache: PageCache;
  events: LiveEvents;
  close(): Promise<void>;
}

/**
 * The site: Next.js behind a whole-page cache and the live-events endpoint.
 * Public pages are rendered once per data version and query string; every
 * other request (admin, forms, webhooks, assets) goes to Next.js untouched.
 */
/** How long after the last view of the site its main pages are still rendered ahead of changes. */
const WARM_WHILE_VIEWED_MS = 10 * 60_000;
/**
 * The pages rendered ahead, one after another: each computes something of the
 * whole board (the ranking, everyone's health, the memory board) that is then
 * stored for the content version and shared by every other page that needs it.
 */
const WARM_PATHS = ['/', '/health', '/memory', '/rankings'];

export async function serveWeb(opts: WebOptions): Promise<RunningWeb> {
  const inst = loadInstance();
  // The app's own reads (app/_lib/data.ts) find the same file.
  process.env.AOCBENCH_CONFIG = inst.file;
  // Its own connection, which never writes: data_version moves on every commit of the runner or of the app's connection.
  const db = openDataDb(inst.dataDir);
  const app = next({ dev: false, dir: ROOT, hostname: opts.host, port: opts.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const cache = new PageCache();
  const watch = contentWatch(db);
  const events = new LiveEvents(
    { version: () => watch.version(), status: () => liveStatus(db) },
    { pollMs: 100, pingMs: 20_000, maxClients: 1000, maxPerAddress: 20, trustProxy: inst.config.web.trustProxy },
  );
  const rendering = new Map<string, Promise<CachedPage | null>>();

  // A hit is the most common request of all: its headers are built once per entry, as flat arrays Node sends as they are.
  const wire = new WeakMap<CachedPage, { plain: string[]; gzip: string[] | null }>();
  const headersOf = (e: CachedPage, gzip: boolean): string[] => {
    const body = gzip ? e.gzip! : e.body;
    const h: OutgoingHttpHeaders = { ...e.headers, 'content-length': body.length, 'x-aocbench-cache': 'hit', vary: [e.headers.vary, 'Accept-Encoding'].filter(Boolean).join(', ') };
    if (gzip) h['content-encoding'] = 'gzip';
    return Object.entries(h).flatMap(([k, v]) => (v === undefined ? [] : Array.isArray(v) ? v.flatMap((x) => [k, String(x)]) : [k, String(v)]));
  };
  const serveCached = (req: IncomingMessage, res: ServerResponse, e: CachedPage) => {
    let w = wire.get(e);
    if (!w) wire.set(e, (w = { plain: headersOf(e, false), gzip: e.gzip ? headersOf(e, true) : null }));
    const gzip = w.gzip !== null && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    res.writeHead(e.status, gzip ? w.gzip! : w.plain);
    res.end(req.method === 'HEAD' ? undefined : gzip ? e.gzip : e.body);
  };

  // The main pages are rendered again when the results change, before anyone asks, while someone has looked at the
  // site lately: readers then never wait for a render of a large board, and an unwatched board costs nothing.
  let viewedAt = 0;
  let warmedVersion = -1;
  let warming = false;
  const warmOne = (paths: string[]) => {
    const addr = server.address();
    if (!paths.length || !addr || typeof addr === 'string') {
      warming = false;
      return;
    }
    const host = addr.address === '::' || addr.address === '0.0.0.0' ? '127.0.0.1' : addr.address;
    const next = () => warmOne(paths.slice(1));
    const req = httpGet({ host, port: addr.port, path: paths[0], headers: { 'x-aocbench-warm': '1' } }, (r) => r.resume().on('end', next).on('error', next)).on('error', next);
    // A render that never ends must not stop the warming for good.
    req.setTimeout(60_000, () => req.destroy(new Error('warm render timed out')));
  };
  const warm = setInterval(() => {
    const v = watch.version();
    if (v === warmedVersion || warming || Date.now() - viewedAt > WARM_WHILE_VIEWED_MS || rendering.size) return;
    warmedVersion = v;
    warming = true;
    warmOne(WARM_PATHS);
  }, 1000);
  warm.unref();

  // Finding a participant as one types (the leaderboard's find box): answered here from an index kept per content
  // version, without a Next.js render, so searches cost about what cached page views do.
  const names = new Map<number, ReturnType<typeof nameIndex>>();
  const search = (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url!, 'http://x');
    // `?season=`: that season's names (the newest's by default); a year the instance has not finds nobody.
    const season = pickSeason(inst.config, u.searchParams.get('season'));
    let index = season === null ? null : names.get(season);
    // Without a stored ranking yet (no page has ranked the board at this version), places come once one is stored.
    const stale = season !== null && (index?.version !== watch.version() || (!index.ranked && Date.now() - index.builtAt > 1000));
    if (stale) names.set(season, (index = nameIndex(inSeason(db, season), inst.config.queue?.hardwareClass)));
    const body = JSON.stringify(index ? searchNames(index, u.searchParams.get('q') ?? '', u.searchParams.has('anon')) : []);
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) }).end(body);
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    // Tells pages that this request gets HTML (not only an RSC payload): markup is then sent once (app/_components/RawHtml.tsx).
    // Set here, never taken from the client: Next.js hides its own `rsc` header from pages, and the page cache varies on it.
    delete req.headers[DOCUMENT_HEADER];
    if (!req.headers.rsc) req.headers[DOCUMENT_HEADER] = '1';
    if (req.url === '/api/events' && req.method === 'GET') return events.handle(req, res);
    if (req.method === 'GET' && req.url?.startsWith('/api/search?')) return search(req, res);
    const exportKind = req.method === 'GET' || req.method === 'HEAD' ? exportKindOf(req.url ?? '/') : null;
    if (exportKind) return sendExport(exportKind, req, res);
    const key = cacheKey(req.method, req.url, req.headers);
    if (!key) return handle(req, res);
    if (!req.headers['x-aocbench-warm']) viewedAt = Date.now();
    const version = watch.version();
    cache.sync(version);
    const hit = cache.get(key);
    if (hit) {
      cache.hits++;
      return serveCached(req, res, hit);
    }
    // Views that arrive while the same page renders wait for that render instead of starting their own.
    const pending = rendering.get(`${version}\u0000${key}`);
    if (pending) {
      const e = await pending;
      if (e) return serveCached(req, res, e);
      return handle(req, res);
    }
    cache.misses++;
    // A HEAD response has no body to keep.
    if (req.method === 'HEAD') return handle(req, res);
    // Next.js sends the page uncompressed; it is compressed once when stored.
    delete req.headers['accept-encoding'];
    const render = captureResponse(res, (status, headers, body) => cache.put(key, version, status, headers, body));
    rendering.set(`${version}\u0000${key}`, render);
    try {
      res.setHeader('x-aocbench-cache', 'miss');
      await handle(req, res);
      await render;
    } finally {
      rendering.delete(`${version}\u0000${key}`);
    }
  };

  const server = createServer((req, res) => {
    onRequest(req, res).catch((e) => {
      opts.log?.(`request ${req.url} failed: ${(e as Error).message}`);
      if (!res.headersSent) res.writeHead(500).end('internal error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host, resolve));
  return {
    server, cache, events,
    close: async () => {
      clearInterval(warm);
      events.close();
      // A client that stopped reading must not hold the shutdown.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await app.close();
      db.$client.close();
    },
  };
}
