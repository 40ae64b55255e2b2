/**
 * Sends the outbox (db/queries/news.ts) to Discord, Slack and webhooks:
 * after a cycle, never during one; each POST with a deadline; a 429 waits as
 * long as the target asks, a 5xx or a network failure backs off (30 s, 1 min,
 * 2 min … up to an hour) for a day's worth of attempts, anything else gives up.
 * Failures are stored and shown on the health page; nothing here throws.
 */
import type { Db } from '../../db/client.ts';
import { dueMessages, markFailed, markRetry, markSent, type Outgoing } from '../../db/queries/news.ts';
import { signature } from '../../lib/news.ts';

const POST_TIMEOUT_MS = 10_000;
const MAX_ATTEMPTS = 30;
const BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 3_600_000;

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
  errors: string[];
}

type Outcome = { ok: true } | { ok: false; retryInMs: number | null; error: string };

/** At most `max` bytes of a response: a target's answer is read for its retry time only, and never buffered whole. */
async function boundedText(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return size > max ? '' : Buffer.concat(chunks).toString('utf8');
}

/** Discord says how long to wait in its JSON body (`retry_after`, seconds) and in Retry-After; Slack in Retry-After. */
async function retryAfterMs(res: Response): Promise<number> {
  const header = Number(res.headers.get('retry-after'));
  let body: { retry_after?: number } | null = null;
  try {
    body = JSON.parse((await boundedText(res, 16_384)) || 'null') as { retry_after?: number } | null;
  } catch {
    // Not JSON (Slack): the header says it.
  }
  const s = Number.isFinite(body?.retry_after) ? body!.retry_after! : Number.isFinite(header) ? header : 60;
  return Math.min(MAX_BACKOFF_MS, Math.max(1000, s * 1000));
}

async function post(m: Outgoing, env: NodeJS.ProcessEnv): Promise<Outcome> {
  const url = env[m.urlEnv];
  if (!url) return { ok: false, retryInMs: null, error: `${m.urlEnv} is not set in the runner's environment` };
  if (!/^https?:\/\//.test(url)) return { ok: false, retryInMs: null, error: `${m.urlEnv} does not hold an http(s) URL` };
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'aocbench' };
  if (m.secretEnv) {
    const secret = env[m.secretEnv];
    if (!secret) return { ok: false, retryInMs: null, error: `${m.secretEnv} is not set in the runner's environment` };
    headers['x-aocbench-signature'] = signature(m.body, secret);
  }
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, body: m.body, redirect: 'error', signal: AbortSignal.timeout(POST_TIMEOUT_MS) });
  } catch (e) {
    return { ok: false, retryInMs: 0, error: `could not reach the target: ${(e as Error).message}` };
  }
  if (res.ok) {
    await res.body?.cancel().catch(() => {});
    return { ok: true };
  }
  if (res.status === 429) return { ok: false, retryInMs: await retryAfterMs(res), error: 'rate limited (HTTP 429)' };
  await res.body?.cancel().catch(() => {});
  return { ok: false, retryInMs: res.status >= 500 ? 0 : null, error: `HTTP ${res.status}` };
}

/** Sends every message that is due; `until` (ms) bounds the whole pass: what is left waits for the next one. */
export async function deliverDue(db: Db, opts: { env?: NodeJS.ProcessEnv; now?: () => number; until?: number } = {}): Promise<DeliveryReport> {
  const now = opts.now ?? Date.now;
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, errors: [] };
  for (const m of dueMessages(db, now())) {
    if (opts.until !== undefined && now() >= opts.until) break;
    const o = await post(m, opts.env ?? process.env);
    try {
      if (o.ok) {
        markSent(db, m.id, now());
        report.sent++;
        continue;
      }
      report.errors.push(`${m.target}: ${o.error}`);
      if (o.retryInMs === null || m.attempts + 1 >= MAX_ATTEMPTS) {
        markFailed(db, m.id, o.error);
        report.failed++;
      } else {
        const backoff = o.retryInMs || Math.min(MAX_BACKOFF_MS, BACKOFF_MS * 2 ** m.attempts);
        markRetry(db, m.id, o.error, now() + backoff);
        report.retrying++;
      }
    } catch (e) {
      // The database is busy or gone: the message stays pending and is sent again next time (a repeat, never a loss).
      report.errors.push(`${m.target}: could not record the delivery: ${(e as Error).message}`);
    }
  }
  return report;
}
