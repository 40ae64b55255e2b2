import { describe, expect, it } from 'vitest';
import { toCommandSpec } from '../../lib/command.ts';
import { defaultDayCount } from '../../lib/days.ts';
import { ConfigError, parseInstanceConfig } from '../../lib/instance-config.ts';
import { expand } from '../../lib/placeholders.ts';
import { checkRepoUrl } from '../../lib/repo-url.ts';
import { chooseSharedInput } from '../../lib/shared-input.ts';
import { contentVersion, matchEntries } from '../../lib/versions.ts';

describe('placeholders', () => {
  it('expands all AoCBench placeholders and leaves unknown ones', () => {
    expect(expand('%year%/%zeroday%/%dayzero%/%day% %input% %foo%', { day: 3, year: 2024, input: '/code/3/input.txt' })).toBe(
      '2024/03/03/3 /code/3/input.txt %foo%',
    );
    expect(expand('%input%', { day: 3, year: 2024 })).toBe('%input%');
  });
});

describe('commands', () => {
  it('runs simple commands directly and shell syntax through a shell', () => {
    expect(toCommandSpec('./target/release/day01 "my input.txt"')).toEqual({ mode: 'direct', argv: ['./target/release/day01', 'my input.txt'] });
    expect(toCommandSpec('ln -s $(cabal list-bin x) /tmp/cmd').mode).toBe('sh');
    expect(toCommandSpec('a && b').mode).toBe('sh');
    expect(toCommandSpec('FOO=1 ./x').mode).toBe('sh');
    expect(toCommandSpec('php run.php', true).mode).toBe('sh');
  });
});

describe('repo URLs', () => {
  it('accepts https, ssh, scp-like and file URLs', () => {
    for (const u of ['https://github.com/a/b', 'ssh://git@host/a.git', 'git@github.com:a/b.git', 'file:///tmp/x']) expect(checkRepoUrl(u)).toBeNull();
  });
  it('refuses ext::, options and other transports', () => {
    for (const u of ['ext::sh -c touch% /tmp/pwned', '--upload-pack=touch /tmp/x', 'http://example.com/a', '/tmp/repo', 'git://h/a']) {
      expect(checkRepoUrl(u)).toMatch(/not allowed|starts with "-"|whitespace/);
    }
  });
});

describe('days', () => {
  it('25 days until 2024, 12 from 2025', () => {
    expect(defaultDayCount(2024)).toBe(25);
    expect(defaultDayCount(2025)).toBe(12);
  });
});

describe('instance config', () => {
  it("applies AoCBench's defaults, with adaptive run counts unless repeat.runs fixes them", () => {
    const c = parseInstanceConfig('year: 2023\nparticipants:\n  - name: A\n    repo: https://x/a\n');
    expect(c.days).toBe(25);
    expect(c.repeat).toMatchObject({ longRuns: 10, longAfterSec: 10, veryLongRuns: 2, veryLongAfterSec: 60, timeoutSec: 300, targetCi: 0.05, minRuns: 10, maxRuns: 200, budgetSec: 30 });
    expect(c.repeat.runs).toBeUndefined();
    expect(parseInstanceConfig('year: 2023\nrepeat:\n  runs: 20\nparticipants: []\n').repeat.runs).toBe(20);
    expect(() => parseInstanceConfig('year: 2023\nrepeat:\n  minRuns: 50\n  maxRuns: 20\nparticipants: []\n')).toThrow(/minRuns/);
    expect(c.dataDir).toBe('data');
  });
  it('names the key and the line of an error', () => {
    const text = 'year: 2025\nparticipants:\n  - name: A\n    repo: ext::sh -c x\n  - name: B\n    repo: https://x/b\n    colour: red\n';
    try {
      parseInstanceConfig(text, 'my.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      expect(msg).toContain('participants.0.repo (line 4)');
      expect(msg).toContain('participants.1.colour (line 7)');
    }
  });
  it('refuses two participants with the same folder name', () => {
    expect(() => parseInstanceConfig('year: 2025\nparticipants:\n  - {name: "A b", repo: "https://x/a"}\n  - {name: "Ab", repo: "https://x/b"}\n')).toThrow(/clashes/);
  });
});

describe('shared input', () => {
  const none = { part1: null, part2: null };
  it('takes the inputs dir first', () => {
    const dir = { source: 'inputs', input: 'x', answers: none };
    expect(chooseSharedInput(dir, [{ source: 'A', input: 'a', answers: { part1: '1', part2: '2' } }])?.source).toBe('inputs');
  });
  it('takes the first participant that has input and answers, not participant #1 unconditionally', () => {
    const c = [
      { source: 'A', input: null, answers: none },
      { source: 'B', input: 'b', answers: none },
      { source: 'C', input: 'c', answers: { part1: '1', part2: null } },
    ];
    expect(chooseSharedInput(null, c)?.source).toBe('C');
    expect(chooseSharedInput(null, c.slice(0, 2))).toBeNull();
  });
});

describe('versions', () => {
  const entries = [
    { path: '1/sol.py', id: 'a1' },
    { path: '1/input.txt', id: 'a2' },
    { path: '2/sol.py', id: 'b1' },
    { path: 'common/lib.py', id: 'c1' },
    { path: 'src/bin/day01.rs', id: 'd1' },
  ];
  it('matches files, directories and globs', () => {
    expect(matchEntries(entries, '1').map((e) => e.path)).toEqual(['1/sol.py', '1/input.txt']);
    expect(matchEntries(entries, './1/').length).toBe(2);
    expect(matchEntries(entries, 'src/bin/day*.rs').map((e) => e.path)).toEqual(['src/bin/day01.rs']);
    expect(matchEntries(entries, '3')).toEqual([]);
  });
  it('changes only when content changes', () => {
    const v1 = contentVersion(entries, ['1']);
    expect(contentVersion([...entries].reverse(), ['1'])).toBe(v1);
    expect(contentVersion(entries.map((e) => (e.path === '2/sol.py' ? { ...e, id: 'zz' } : e)), ['1'])).toBe(v1);
    expect(contentVersion(entries.map((e) => (e.path === '1/sol.py' ? { ...e, id: 'zz' } : e)), ['1'])).not.toBe(v1);
    expect(contentVersion(entries, ['nothing'])).toBeNull();
  });
});
