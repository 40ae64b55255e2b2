import { enqueueJob } from '../../../../db/queries/jobs.ts';
import { repoKey, verifyGithubSignature } from '../../../../lib/trigger.ts';
import { BodyTooLarge, readBody, tooLarge } from '../../../_lib/body.ts';
import { db, instance, invalidate } from '../../../_lib/data.ts';

export const dynamic = 'force-dynamic';

function secret(): string | null {
  const w = instance().config.webhooks;
  return w.githubSecret ?? (w.githubSecretEnv ? (process.env[w.githubSecretEnv] ?? null) : null);
}

/** Push payloads are KBs; GitHub caps them at 25 MB, only pushes of thousands of commits come near. */
const MAX_PAYLOAD = 8 * 1024 * 1024;

/** A push to a participant's repository queues an update (sync, bench, matrix) for that participant. */
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
  if (req.headers.get('x-github-event') === 'ping') return Response.json({ ok: true, pong: true });
  let payload: { repository?: Record<string, unknown> };
  try {
    payload = JSON.parse(body);
  } catch {
    return Response.json({ error: 'the body is not JSON' }, { status: 400 });
  }
  const urls = ['clone_url', 'ssh_url', 'git_url', 'html_url', 'url'].map((k) => payload.repository?.[k]).filter((u): u is string => typeof u === 'string');
  const keys = new Set(urls.map(repoKey).filter(Boolean));
  const matched = instance().config.participants.filter((p) => keys.has(repoKey(p.repo)));
  if (!matched.length) return Response.json({ error: 'no participant uses this repository' }, { status: 404 });
  const ids = matched.map((p) => enqueueJob(db(), { kind: 'cycle', participant: p.name, requestedBy: 'webhook' }));
  invalidate();
  return Response.json({ queued: ids, participants: matched.map((p) => p.name) }, { status: 202 });
}
