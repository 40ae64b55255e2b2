import { actOnce, DELIVERY_WINDOW_MS } from '../../../../db/queries/deliveries.ts';
import { enqueueJob } from '../../../../db/queries/jobs.ts';
import { repoKey, verifyGithubSignature } from '../../../../lib/trigger.ts';
import { BodyTooLarge, readBody, tooLarge } from '../../../_lib/body.ts';
import { db, everySeasonDb, instance, invalidate } from '../../../_lib/data.ts';
import { everySeason } from '../../../../lib/seasons.ts';

export const dynamic = 'force-dynamic';

function secret(): string | null {
  const w = instance().config.webhooks;
  return w.githubSecret ?? (w.githubSecretEnv ? (process.env[w.githubSecretEnv] ?? null) : null);
}

/** Push payloads are KBs; GitHub caps them at 25 MB, only pushes of thousands of commits come near. */
const MAX_PAYLOAD = 8 * 1024 * 1024;

/** GitHub's delivery ids are GUIDs; anything else is not GitHub's and is not stored. */
const DELIVERY_ID = /^[A-Za-z0-9-]{1,64}$/;

/** When the repository was pushed to, as a push payload says (seconds) or other events do (ISO date). */
function pushedAt(repository: Record<string, unknown> | undefined): number | null {
  const v = repository?.pushed_at;
  if (typeof v === 'number') return v * 1000;
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? null : t;
}

/**
 * A push to a participant's repository queues an update (sync, bench, matrix) for that participant.
 * Each delivery (X-GitHub-Delivery) is acted on once: a captured signed delivery sent again queues nothing.
 */
export async function POST(req: Request) {
  const key = secret();
  if (!key || !req.headers.get('x-hub-signature-256')) return Response.json({ error: 'invalid or missing X-Hub-Signature-256' }, { status: 401 });
  let body: string;
  try {
    body = (await readBody(req, MAX_PAYLOAD)).toString('utf8');
  } catch (e) {
    if (e instanceof BodyTooLarge) return tooLarge(e);
    throw e;
  }
  if (!verifyGithubSignature(key, body, req.headers.get('x-hub-signature-256'))) {
    return Response.json({ error: 'invalid or missing X-Hub-Signature-256' }, { status: 401 });
  }
  const delivery = req.headers.get('x-github-delivery');
  if (!delivery || !DELIVERY_ID.test(delivery)) return Response.json({ error: 'missing or malformed X-GitHub-Delivery (GitHub sends one with every delivery)' }, { status: 400 });
  if (req.headers.get('x-github-event') === 'ping') return Response.json({ ok: true, pong: true });
  let payload: { repository?: Record<string, unknown> };
  try {
    payload = JSON.parse(body);
  } catch {
    return Response.json({ error: 'the body is not JSON' }, { status: 400 });
  }
  const urls = ['clone_url', 'ssh_url', 'git_url', 'html_url', 'url'].map((k) => payload.repository?.[k]).filter((u): u is string => typeof u === 'string');
  const keys = new Set(urls.map(repoKey).filter(Boolean));
  // Any season's participant (a repository may hold several years): the job runs every open season.
  const matched = [...new Map(everySeason(instance().all).participants.filter((p) => keys.has(repoKey(p.repo))).map((p) => [p.name, p])).values()];
  if (!matched.length) return Response.json({ error: 'no participant uses this repository' }, { status: 404 });
  // Past the window its id may be forgotten: a delivery that old is a replay, not news.
  const at = pushedAt(payload.repository);
  if (at !== null && at < Date.now() - DELIVERY_WINDOW_MS) return Response.json({ ok: true, ignored: 'pushed longer ago than the replay window; nothing queued' });
  const done = actOnce(everySeasonDb(), delivery, () => matched.map((p) => enqueueJob(everySeasonDb(), { kind: 'cycle', participant: p.name, requestedBy: 'webhook' })));
  if (!done) return Response.json({ ok: true, duplicate: true, message: `delivery ${delivery} already received; nothing queued` });
  invalidate();
  return Response.json({ queued: done.value, participants: matched.map((p) => p.name) }, { status: 202 });
}
