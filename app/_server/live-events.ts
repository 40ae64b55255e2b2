import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveStatus } from '../../db/queries/live.ts';
import { clientGroup } from '../../lib/client-address.ts';

/**
 * `/api/events`: server-sent events that tell open pages when the data
 * changed, so a new result shows without a reload and without a slow poll.
 *
 * One timer serves every listener: it reads the content version (which
 * costs a table read only after another connection committed) and, when that
 * moved, the live status, and sends it to every listener.
 */
export class LiveEvents {
  private clients = new Set<ServerResponse>();
  private perClient = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private ping: NodeJS.Timeout | null = null;
  private seenData: number | null = null;
  private last: LiveStatus | null = null;

  constructor(
    private readonly source: { version(): number; status(): LiveStatus },
    private readonly opts = { pollMs: 100, pingMs: 20_000, maxClients: 1000, maxPerAddress: 20, trustProxy: false },
  ) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    const addr = clientGroup(req.socket.remoteAddress, req.headers['x-forwarded-for'], this.opts.trustProxy);
    // Anonymous visitors hold these open: bound how many, overall and per address.
    if (this.clients.size >= this.opts.maxClients || (this.perClient.get(addr) ?? 0) >= this.opts.maxPerAddress) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '30' }).end('{"error":"too many live connections"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    this.clients.add(res);
    this.perClient.set(addr, (this.perClient.get(addr) ?? 0) + 1);
    this.send(res, this.current());
    req.socket.setNoDelay(true);
    res.once('close', () => {
      this.clients.delete(res);
      const n = (this.perClient.get(addr) ?? 1) - 1;
      if (n > 0) this.perClient.set(addr, n);
      else this.perClient.delete(addr);
      if (!this.clients.size) this.idle();
    });
    if (!this.timer) {
      this.timer = setInterval(() => this.poll(), this.opts.pollMs);
      this.ping = setInterval(() => this.broadcast(': ping\n\n'), this.opts.pingMs);
    }
  }

  get listeners(): number {
    return this.clients.size;
  }

  close(): void {
    for (const c of this.clients) c.end();
    this.idle();
  }

  private current(): LiveStatus {
    const v = this.source.version();
    if (v !== this.seenData || !this.last) {
      this.seenData = v;
      this.last = this.source.status();
    }
    return this.last;
  }

  private poll(): void {
    const before = this.last?.version;
    const now = this.current();
    if (now.version !== before) this.broadcast(frame(now));
  }

  private send(res: ServerResponse, s: LiveStatus): void {
    res.write(frame(s));
  }

  private broadcast(text: string): void {
    for (const c of this.clients) {
      // A listener that stopped reading gets dropped, not buffered for.
      if (c.writableLength > 64 * 1024) c.destroy();
      else c.write(text);
    }
  }

  private idle(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.ping) clearInterval(this.ping);
    this.timer = this.ping = null;
  }
}

const frame = (s: LiveStatus) => `data: ${JSON.stringify(s)}\n\n`;
