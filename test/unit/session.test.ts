import { describe, expect, it } from 'vitest';
import { checkPassword, hashPassword, newSession, passwordTag, sessionCookie, sessionIdOf } from '../../lib/session.ts';
import { checkRunRequest, repoKey, verifyGithubSignature } from '../../lib/trigger.ts';
import { createHmac } from 'node:crypto';

describe('admin sessions', () => {
  it('round-trips a signed cookie and refuses a tampered one', () => {
    const s = newSession();
    const cookie = sessionCookie('secret', s.id);
    expect(sessionIdOf('secret', cookie)).toBe(s.id);
    expect(sessionIdOf('other', cookie)).toBeNull();
    expect(sessionIdOf('secret', `${cookie.slice(0, -2)}xx`)).toBeNull();
    expect(sessionIdOf('secret', `${newSession().id}.${cookie.split('.')[1]}`)).toBeNull();
    expect(newSession().id).not.toBe(s.id);
  });
  it('a new password gives sessions a new tag', () => {
    expect(passwordTag('k', { plain: 'a' })).toBe(passwordTag('k', { plain: 'a' }));
    expect(passwordTag('k', { plain: 'a' })).not.toBe(passwordTag('k', { plain: 'b' }));
    expect(passwordTag('k', { hash: 'scrypt$1$2' })).not.toBe(passwordTag('k', { hash: 'scrypt$1$3' }));
  });
  it('checks plain and scrypt-hashed passwords', () => {
    const h = hashPassword('pw');
    expect(checkPassword('pw', { hash: h })).toBe(true);
    expect(checkPassword('px', { hash: h })).toBe(false);
    expect(checkPassword('pw', { plain: 'pw' })).toBe(true);
    expect(checkPassword('pw', {})).toBe(false);
  });
});

describe('triggers', () => {
  it('validates run requests', () => {
    const inst = { participants: ['a'], days: 12 };
    expect(checkRunRequest({}, inst)).toEqual({ ok: true, value: { kind: 'bench', participant: null, day: null, force: false } });
    expect(checkRunRequest({ participant: 'b' }, inst)).toMatchObject({ ok: false, status: 400 });
    expect(checkRunRequest({ day: 13 }, inst)).toMatchObject({ ok: false, status: 400 });
    expect(checkRunRequest([], inst)).toMatchObject({ ok: false });
  });
  it('verifies GitHub signatures and matches repository URLs', () => {
    const sig = `sha256=${createHmac('sha256', 's3cret').update('{}').digest('hex')}`;
    expect(verifyGithubSignature('s3cret', '{}', sig)).toBe(true);
    expect(verifyGithubSignature('s3cret', '{ }', sig)).toBe(false);
    expect(verifyGithubSignature('s3cret', '{}', null)).toBe(false);
    expect(repoKey('git@github.com:Foo/Bar.git')).toBe(repoKey('https://github.com/foo/bar'));
    expect(repoKey('ssh://git@github.com/foo/bar.git')).toBe('github.com/foo/bar');
    expect(repoKey('file:///srv/git/alice.git')).toBe(repoKey('file:///srv/git/alice/'));
    expect(repoKey('file:///srv/git/alice')).not.toBe(repoKey('file:///srv/git/bob'));
  });
});
