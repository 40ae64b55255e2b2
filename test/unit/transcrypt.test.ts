import { describe, expect, it } from 'vitest';
import { cryptMatcher, cryptPatterns, decryptTranscrypt, isTranscryptCiphertext } from '../../lib/transcrypt.ts';
import { opensslEncrypt } from '../helpers/transcrypt.ts';

const TEXT = '12\n34\n56\n'.repeat(20);

describe('transcrypt', () => {
  it('decrypts OpenSSL output with the classic MD5 key derivation', () => {
    const c = opensslEncrypt(TEXT, 'correct horse', 'md5');
    expect(isTranscryptCiphertext(c)).toBe(true);
    expect(decryptTranscrypt(c, { password: 'correct horse', cipher: 'aes-256-cbc' })).toBe(TEXT);
    expect(decryptTranscrypt(c, { password: 'correct horse', cipher: 'aes-256-cbc', kdf: 'md5' })).toBe(TEXT);
  });
  it('decrypts the PBKDF2 variant', () => {
    const c = opensslEncrypt(TEXT, 'p4ss', 'pbkdf2');
    expect(decryptTranscrypt(c, { password: 'p4ss', cipher: 'aes-256-cbc' })).toBe(TEXT);
    expect(decryptTranscrypt(c, { password: 'p4ss', cipher: 'aes-256-cbc', kdf: 'md5' })).toBeNull();
  });
  it('a wrong password gives null, never garbage', () => {
    for (let i = 0; i < 20; i++) {
      expect(decryptTranscrypt(opensslEncrypt(TEXT, `right-${i}`, 'md5'), { password: 'wrong', cipher: 'aes-256-cbc' })).toBeNull();
    }
    expect(decryptTranscrypt('plain text', { password: 'x', cipher: 'aes-256-cbc' })).toBeNull();
  });
  it('reads filter=crypt patterns with git semantics', () => {
    const m = cryptMatcher(cryptPatterns('# secrets\n*/input.txt filter=crypt diff=crypt\nanswers.txt filter=crypt\n*.md text\n'));
    expect(m('1/input.txt')).toBe(true);
    expect(m('input.txt')).toBe(false);
    expect(m('deep/dir/answers.txt')).toBe(true);
    expect(m('README.md')).toBe(false);
  });
});
