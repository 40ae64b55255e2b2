import { createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** Signed admin session cookies, CSRF tokens and password hashes; the secret comes from the caller. */
export interface Session {
  exp: number;
  csrf: string;
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

export function equalText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function newSession(secret: string, ttlMs = 12 * 3600_000): { cookie: string; session: Session } {
  const session = { exp: Date.now() + ttlMs, csrf: randomBytes(18).toString('base64url') };
  const payload = b64(JSON.stringify(session));
  return { cookie: `${payload}.${sign(secret, payload)}`, session };
}

export function readSession(secret: string, cookie: string | undefined | null): Session | null {
  if (!cookie) return null;
  const [payload, mac] = cookie.split('.');
  if (!payload || !mac || !equalText(mac, sign(secret, payload))) return null;
  try {
    const s = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Session;
    return typeof s.exp === 'number' && s.exp > Date.now() && typeof s.csrf === 'string' ? s : null;
  } catch {
    return null;
  }
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
