import { createDecipheriv, createHash, getCipherInfo, pbkdf2Sync } from 'node:crypto';
import picomatch from 'picomatch';

/**
 * transcrypt stores a file as `openssl enc -a` output: base64 of "Salted__",
 * an 8-byte salt and the ciphertext. The key and IV come from the password and
 * salt by OpenSSL's EVP_BytesToKey with MD5 (classic transcrypt) or by PBKDF2
 * (`-pbkdf2`, as newer transcrypt versions can be configured).
 */
export interface TranscryptKey {
  password: string;
  cipher: string;
  kdf?: 'md5' | 'pbkdf2';
  digest?: string;
  iterations?: number;
}

const MAGIC = Buffer.from('Salted__');

function bytesToKey(password: Buffer, salt: Buffer, len: number): Buffer {
  const out: Buffer[] = [];
  let prev = Buffer.alloc(0);
  let total = 0;
  while (total < len) {
    prev = createHash('md5').update(Buffer.concat([prev, password, salt])).digest();
    out.push(prev);
    total += prev.length;
  }
  return Buffer.concat(out).subarray(0, len);
}

export function isTranscryptCiphertext(text: string): boolean {
  const b = Buffer.from(text.replace(/\s+/g, '').slice(0, 16), 'base64');
  return b.subarray(0, 8).equals(MAGIC);
}

function tryDecrypt(data: Buffer, k: TranscryptKey, kdf: 'md5' | 'pbkdf2'): string | null {
  const info = getCipherInfo(k.cipher);
  if (!info) throw new Error(`unknown cipher "${k.cipher}"`);
  const ivLen = info.ivLength ?? 0;
  const salt = data.subarray(8, 16);
  const pw = Buffer.from(k.password, 'utf8');
  const material = kdf === 'md5' ? bytesToKey(pw, salt, info.keyLength + ivLen) : pbkdf2Sync(pw, salt, k.iterations ?? 10_000, info.keyLength + ivLen, k.digest ?? 'sha256');
  try {
    const d = createDecipheriv(k.cipher, material.subarray(0, info.keyLength), ivLen ? material.subarray(info.keyLength) : null);
    const plain = Buffer.concat([d.update(data.subarray(16)), d.final()]);
    // A wrong key passes the padding check about once in 256 tries; text must also be valid UTF-8.
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    return null;
  }
}

/** Plaintext of a transcrypt file, or null for a wrong password, cipher or key derivation. */
export function decryptTranscrypt(text: string, k: TranscryptKey): string | null {
  const data = Buffer.from(text.replace(/\s+/g, ''), 'base64');
  if (data.length < 17 || !data.subarray(0, 8).equals(MAGIC)) return null;
  const kdfs: Array<'md5' | 'pbkdf2'> = k.kdf ? [k.kdf] : ['md5', 'pbkdf2'];
  for (const kdf of kdfs) {
    const plain = tryDecrypt(data, k, kdf);
    if (plain !== null) return plain;
  }
  return null;
}

/** Patterns of the root `.gitattributes` lines that set `filter=crypt`. */
export function cryptPatterns(gitattributes: string | null): string[] {
  return (gitattributes ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(/\s+/))
    .filter(([, ...attrs]) => attrs.includes('filter=crypt'))
    .map(([pattern]) => pattern);
}

/** Git's rule: a pattern without a slash matches a file name at any depth, one with a slash from the root. */
export function cryptMatcher(patterns: string[]): (path: string) => boolean {
  const matchers = patterns.map((p) => {
    const anchored = p.replace(/^\//, '');
    return p.includes('/') ? picomatch(anchored, { dot: true }) : picomatch(anchored, { dot: true, basename: true });
  });
  return (path) => matchers.some((m) => m(path));
}
