import { createHmac, timingSafeEqual } from 'node:crypto';

/** A re-run request from the admin API, the admin page or `aocbench trigger`. */
export interface RunRequest {
  kind: 'bench' | 'matrix';
  participant: string | null;
  day: number | null;
  force: boolean;
}

export type CheckedRun = { ok: true; value: RunRequest } | { ok: false; status: 400; error: string };

export function checkRunRequest(body: unknown, instance: { participants: string[]; days: number }): CheckedRun {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, status: 400, error: 'body must be a JSON object' };
  const kind = b.kind ?? 'bench';
  if (kind !== 'bench' && kind !== 'matrix') return { ok: false, status: 400, error: 'kind must be "bench" or "matrix"' };
  let participant: string | null = null;
  if (b.participant !== undefined && b.participant !== null) {
    if (typeof b.participant !== 'string' || !instance.participants.includes(b.participant)) {
      return { ok: false, status: 400, error: `unknown participant ${JSON.stringify(b.participant)}` };
    }
    participant = b.participant;
  }
  let day: number | null = null;
  if (b.day !== undefined && b.day !== null) {
    if (typeof b.day !== 'number' || !Number.isInteger(b.day) || b.day < 1 || b.day > instance.days) {
      return { ok: false, status: 400, error: `day must be a whole number from 1 to ${instance.days}` };
    }
    day = b.day;
  }
  if (b.force !== undefined && typeof b.force !== 'boolean') return { ok: false, status: 400, error: 'force must be true or false' };
  return { ok: true, value: { kind, participant, day, force: b.force === true } };
}

/** GitHub's `X-Hub-Signature-256: sha256=<hex HMAC of the raw body>`, compared in constant time. */
export function verifyGithubSignature(secret: string, body: string, header: string | null): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const got = Buffer.from(header);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** `host/owner/repo` of any clone URL form, for matching a pushed repository to a participant. */
export function repoKey(url: string): string | null {
  const u = url.trim().toLowerCase();
  // A local repository (a post-receive hook can deliver the same payload): its path is its identity.
  const local = /^file:\/\/(\/.+)$/.exec(u);
  if (local) return `file:${local[1].replace(/\.git$/, '').replace(/\/+$/, '')}`;
  const scp = /^[^@\s/]+@([^:\s/]+):(?!\/\/)(.+)$/.exec(u);
  const m = scp ? [scp[1], scp[2]] : /^[a-z+]+:\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+)$/.exec(u)?.slice(1);
  if (!m) return null;
  return `${m[0]}/${m[1].replace(/\.git$/, '').replace(/\/+$/, '')}`;
}
