import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadParticipantConfig, reservedBases, validateConfig } from '../../lib/participant-config.ts';
import { quotePercentScalars } from '../../lib/yaml-lenient.ts';

/** The project's own fixtures; the real configs of ../shared are loaded too where that folder exists. */
const FIXTURES = join(import.meta.dirname, '../fixtures/aocbench-yaml');
const REAL = join(import.meta.dirname, '../../../shared/fixtures/aocbench-yaml');
const yamls = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f)) : []);
const files = [...yamls(FIXTURES), ...yamls(REAL)];
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('.aocbench.yaml files of the kinds real repositories have', () => {
  it('finds the fixtures', () => expect(files.length).toBeGreaterThanOrEqual(5));

  for (const f of files) {
    it(`loads ${f.split('/').slice(-2).join('/')}`, () => {
      const r = loadParticipantConfig(readFileSync(f, 'utf8'));
      expect(r.validation.state).not.toBe('error');
      expect(r.config?.cmd).toBeTruthy();
      expect(r.config?.code.startsWith('/')).toBe(true);
    });
  }

  it('reads unquoted % scalars with a warning', () => {
    const r = loadParticipantConfig(fixture('percent-unquoted.yaml'));
    expect(r.config?.daypath).toBe('%year%/%zeroday%');
    expect(r.config?.inputfile).toBe('%year%/%zeroday%/input.txt');
    expect(r.validation.state).toBe('warning');
  });

  it("version '1' as a string is valid", () => {
    const r = loadParticipantConfig(fixture('version-string.yaml'));
    expect(r.validation.state).toBe('ok');
    expect(r.config?.inputfile).toBe('%day%/input.txt');
  });

  it('keeps shell syntax in cmd and prerun', () => {
    const r = loadParticipantConfig(fixture('shell-syntax.yml'));
    expect(r.config?.prerun).toContain('$(cabal list-bin');
  });

  it('persistence inside the code dir is flagged', () => {
    const r = loadParticipantConfig(fixture('persistence-in-code.yml'));
    expect(r.validation.messages.join('\n')).toMatch(/\/code\/\.zig-cache.*inside the code dir/);
  });

  it('a relative persistence path is an error', () => {
    const text = fixture('persistence-in-code.yml').replace('/code/.zig-cache', '.zig-cache');
    const r = loadParticipantConfig(text);
    expect(r.validation.state).toBe('error');
    expect(r.validation.messages).toContain('Persistence path ".zig-cache" must be absolute.');
    expect(r.config).toBeNull();
  });
});

describe('validation', () => {
  it('errors on missing version and cmd', () => {
    const v = validateConfig({ image: 'x' });
    expect(v.state).toBe('error');
    expect(v.messages.join(' ')).toMatch(/version/);
    expect(v.messages.join(' ')).toMatch(/cmd/);
  });
  it('warns on unknown keys and env entries without =', () => {
    const v = validateConfig({ version: 1, cmd: 'x', image: 'i', colour: 'red', environment: ['A=1', 'B'] });
    expect(v.state).toBe('warning');
    expect(v.messages).toHaveLength(2);
  });
  it('errors when there is neither image nor Dockerfile', () => {
    const v = validateConfig({ version: 1, cmd: 'x' }, () => false);
    expect(v.state).toBe('error');
  });
  it('picks the first existing Dockerfile of the search list', () => {
    const r = loadParticipantConfig('version: 1\ncmd: ./run\n', { exists: (p) => p === 'docker/Dockerfile' });
    expect(r.config?.dockerfile).toEqual(['docker/Dockerfile']);
    expect(r.config?.workdir).toBe('/code');
  });
  it('reports broken YAML as an error, not a crash', () => {
    const r = loadParticipantConfig('version: 1\ncmd: [unclosed\n');
    expect(r.validation.state).toBe('error');
    expect(r.validation.messages[0]).toMatch(/YAML does not parse/);
  });
  it('applies the admin override over the repo file', () => {
    const r = loadParticipantConfig('version: 1\ncmd: a\nimage: x\n', { override: { cmd: 'b' } });
    expect(r.config?.cmd).toBe('b');
  });
  it('quotes only % plain scalars', () => {
    expect(quotePercentScalars('a: %day%\nb: "%day%"\n - %x% # c\n')).toBe("a: '%day%'\nb: \"%day%\"\n - '%x%' # c\n");
  });
});

describe('paths and images a participant may not use', () => {
  it('refuses repository paths that leave the repository, naming the key', () => {
    const v = validateConfig({ version: 1, cmd: 'x', image: 'i', daypath: '../%day%', inputfile: '/etc/%day%', answerfile: 'a/../../b', dockerfile: ['../D'], common: ['ok', '../../x'], persistence: ['/c/../d'] });
    expect(v.state).toBe('error');
    for (const k of ['daypath', 'inputfile', 'answerfile', 'dockerfile', 'common', 'persistence']) expect(v.messages.join('\n')).toContain(`"${k}"`);
    expect(validateConfig({ version: 1, cmd: 'x', image: 'i', daypath: './%day%/', inputfile: 'in/%day%/../%day%.txt' }).state).toBe('ok');
  });

  it("refuses another participant's image and bare image ids, in image: and in FROM", () => {
    for (const ref of ['aocbench-alice:0123456789ab', 'AOCBENCH-bob', 'sha256:' + 'a'.repeat(64), 'abcdef012345']) {
      expect(validateConfig({ version: 1, cmd: 'x', image: ref }).state).toBe('error');
    }
    for (const ref of ['python:3.12', 'aocbench-test/busybox:1', 'rust:alpine']) expect(validateConfig({ version: 1, cmd: 'x', image: ref }).state).toBe('ok');
    expect(reservedBases('FROM rust:1 AS build\nFROM build\nFROM --platform=linux/amd64 aocbench-alice:abc AS x\n')).toEqual(['aocbench-alice:abc']);
    expect(reservedBases('FROM python:3.12\n')).toEqual([]);
  });
});
