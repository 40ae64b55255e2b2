import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * What transcrypt's clean filter stores: base64 (64-character lines) of
 * "Salted__", the 8-byte salt and the `openssl enc` ciphertext. OpenSSL 3
 * leaves the header out when the salt is given with -S; transcrypt then
 * writes it itself, and so do we.
 */
export function opensslEncrypt(plain: string, password: string, kdf: 'md5' | 'pbkdf2', salt = randomBytes(8).toString('hex')): string {
  const kdfArgs = kdf === 'md5' ? ['-md', 'MD5'] : ['-pbkdf2', '-md', 'sha256'];
  let out = execFileSync('openssl', ['enc', '-aes-256-cbc', ...kdfArgs, '-pass', 'env:TRANSCRYPT_TEST_PW', '-e', '-S', salt], {
    input: plain,
    env: { ...process.env, TRANSCRYPT_TEST_PW: password },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  if (!out.subarray(0, 8).equals(Buffer.from('Salted__'))) out = Buffer.concat([Buffer.from('Salted__'), Buffer.from(salt, 'hex'), out]);
  return `${out.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n`;
}

export const GITATTRIBUTES = '*/input.txt filter=crypt diff=crypt merge=crypt\n*/answers.txt filter=crypt diff=crypt merge=crypt\n';
