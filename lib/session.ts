import { createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * Admin session cookies, CSRF tokens and password hashes; the secret comes
 * from the caller. A session lives on the server (db/queries/sessions.ts):
 * the cookie only names it, with an HMAC so that a guessed id costs nothing.
 */
export interface Session {
  id: string;
  csrf: string;
  expiresAt: number;
}

const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

export function equalText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const SESSION_TTL_MS = 12 * 3600_000;

export function newSession(ttlMs = SESSION_TTL_MS, now = Date.now()): Session {
  return { id: randomBytes(32).toString('base64url'), csrf: randomBytes(18).toString('base64url'), expiresAt: now + ttlMs };
}

export function sessionCookie(secret: string, id: string): string {
  return `${id}.${sign(secret, id)}`;
}

/** The session id a cookie names, when its HMAC is ours. */
export function sessionIdOf(secret: string, cookie: string | undefined | null): string | null {
  if (!cookie) return null;
  const [id, mac] = cookie.split('.');
  return id && mac && equalText(mac, sign(secret, id)) ? id : null;
}

/** Changes whenever the admin password does: sessions signed in with the old one no longer match. */
export function passwordTag(secret: string, password: { plain?: string; hash?: string }): string {
  return sign(secret, `${password.hash ?? ''}\0${password.plain ?? ''}`);
}

/** `scrypt$<salt>$<hash>` (hex), for `admin.passwordHash` in the instance config. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('hex')}$${scryptSync(password, salt, 32).toString('hex')}`;
}

export function checkPassword(password: string, opts: { plain?: string; hash?: string }): boolean {
  if (opts.hash) {
    const [kind, salt, hash] = opts.hash.split('$');
    if (kind !== 'scrypt' || !salt || !hash) return false;
    return equalText(scryptSync(password, Buffer.from(salt, 'hex'), 32).toString('hex'), hash);
  }
  return !!opts.plain && equalText(password, opts.plain);
}
