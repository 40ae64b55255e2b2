import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cookies } from 'next/headers';
import { readSession, type Session } from '../../lib/session.ts';
import { instance } from './data.ts';

export const COOKIE = 'aocbench_admin';

/** $AOCBENCH_SESSION_SECRET, else a random key kept in the data dir (so restarts keep sessions). */
export function sessionSecret(): string {
  if (process.env.AOCBENCH_SESSION_SECRET) return process.env.AOCBENCH_SESSION_SECRET;
  const file = join(instance().dataDir, 'session.key');
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return readFileSync(file, 'utf8').trim();
}

export async function adminSession(): Promise<Session | null> {
  return readSession(sessionSecret(), (await cookies()).get(COOKIE)?.value);
}

/** A form post is accepted only from a signed-in admin whose CSRF token matches, from our own origin. */
export async function checkForm(req: Request, form: FormData): Promise<Session | null> {
  const s = await adminSession();
  // Behind a proxy req.url may name another host; the Host header is what the browser used.
  const origin = req.headers.get('origin');
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
  if (origin && origin !== 'null' && new URL(origin).host !== host) return null;
  return s && form.get('csrf') === s.csrf ? s : null;
}
