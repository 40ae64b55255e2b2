import { lastForwardedFor } from '../../lib/client-address.ts';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cookies } from 'next/headers';
import { dataPaths } from '../../lib/data-dir.ts';
import { createSession, deleteSession, findSession } from '../../db/queries/sessions.ts';
import { newSession, passwordTag, SESSION_TTL_MS, sessionCookie, sessionIdOf, type Session } from '../../lib/session.ts';
import { BodyTooLarge, readForm, SMALL_BODY, tooLarge } from './body.ts';
import { db, instance } from './data.ts';

export const COOKIE = 'aocbench_admin';

/** $AOCBENCH_SESSION_SECRET, else a random key kept in the data dir (so restarts keep sessions). */
export function sessionSecret(): string {
  if (process.env.AOCBENCH_SESSION_SECRET) return process.env.AOCBENCH_SESSION_SECRET;
  const file = dataPaths(instance().dataDir).sessionKey;
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return readFileSync(file, 'utf8').trim();
}

export const adminPassword = () => ({ plain: process.env.AOCBENCH_ADMIN_PASSWORD, hash: instance().config.admin.passwordHash });

const currentTag = () => passwordTag(sessionSecret(), adminPassword());

export async function adminSession(): Promise<Session | null> {
  const id = sessionIdOf(sessionSecret(), (await cookies()).get(COOKIE)?.value);
  return id ? findSession(db(), id, currentTag()) : null;
}

/** Whether the browser reached us over TLS: then the cookie is `Secure`. */
function overTls(req: Request): boolean {
  const web = instance().config.web;
  if (web.secureCookies) return true;
  if (web.trustProxy) return req.headers.get('x-forwarded-proto') === 'https';
  return new URL(req.url).protocol === 'https:';
}

function cookieHeader(req: Request, value: string, maxAgeSec: number): string {
  return `${COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSec}${overTls(req) ? '; Secure' : ''}`;
}

/** Signs in: a new server-side session, and the cookie that names it. */
export function startSession(req: Request): string {
  const s = newSession();
  createSession(db(), s, currentTag());
  return cookieHeader(req, sessionCookie(sessionSecret(), s.id), Math.floor(SESSION_TTL_MS / 1000));
}

export function endSession(req: Request, s: Session): string {
  deleteSession(db(), s.id);
  return cookieHeader(req, '', 0);
}

/**
 * Who is asking, for login rate limits: the last X-Forwarded-For entry, which
 * a trusted proxy (web.trustProxy) or Next itself adds. Without a proxy a
 * client can name itself anything; the overall limit still holds then.
 */
export function clientKey(req: Request): string {
  return lastForwardedFor(req.headers.get('x-forwarded-for')) ?? 'unknown';
}

/** A form post from our own pages: Origin (or, without it, Referer) names this host; `null` never does. */
export function sameOrigin(req: Request): boolean {
  const host = (instance().config.web.trustProxy ? req.headers.get('x-forwarded-host') : null) ?? req.headers.get('host');
  const from = req.headers.get('origin') ?? req.headers.get('referer');
  if (!from || from === 'null' || !host) return false;
  try {
    return new URL(from).host === host;
  } catch {
    return false;
  }
}

const forbidden = () => Response.json({ error: 'not signed in, a bad CSRF token, or a post from another site' }, { status: 403 });

/**
 * An admin form post: signed in (checked before the body is read), from our
 * own origin, a small body, and the session's CSRF token. Anything else is
 * answered with the Response to send.
 */
export async function adminForm(req: Request): Promise<{ session: Session; form: FormData } | Response> {
  const session = await adminSession();
  if (!session || !sameOrigin(req)) return forbidden();
  let form: FormData;
  try {
    form = await readForm(req, SMALL_BODY);
  } catch (e) {
    if (e instanceof BodyTooLarge) return tooLarge(e);
    return Response.json({ error: 'the body is not form data' }, { status: 400 });
  }
  return form.get('csrf') === session.csrf ? { session, form } : forbidden();
}
