import { describe, expect, it } from 'vitest';
import { checkPassword, hashPassword, newSession, readSession } from '../../lib/session.ts';
import { checkRunRequest, repoKey, verifyGithubSignature } from '../../lib/trigger.ts';
import { createHmac } from 'node:crypto';

describe('admin sessions', () => {
  it('round-trips a signed cookie and refuses a tampered or expired one', () => {
    const { cookie, session } = newSession('secret');
    expect(readSession('secret', cookie)).toEqual(session);
    expect(readSession('other', cookie)).toBeNull();
    expect(readSession('secret', `${cookie.slice(0, -2)}xx`)).toBeNull();
    expect(readSession('secret', newSession('secret', -1).cookie)).toBeNull();
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
  });
});
