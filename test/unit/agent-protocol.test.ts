import { describe, expect, it } from 'vitest';
import { timedOutputProblem } from '../../lib/answers.ts';
import { safeRelative } from '../../lib/repo-path.ts';
import { AgentReader, ProtocolError, treeRequest } from '../../runner/executor/protocol.ts';

describe('the agent reader', () => {
  it('splits lines and announced output, across chunk boundaries', () => {
    const r = new AgentReader(100);
    const bytes = Buffer.from('ready\nout\t1\t8\nhi\ttheredone\t1\texit\t0\t5\t0\n');
    const got = [];
    for (let i = 0; i < bytes.length; i += 3) got.push(...r.push(bytes.subarray(i, i + 3)));
    expect(got.map((m) => m.fields[0])).toEqual(['ready', 'out', 'done']);
    expect(got[1].payload?.toString()).toBe('hi\tthere');
    expect(got[2].fields).toEqual(['done', '1', 'exit', '0', '5', '0']);
  });

  it('refuses output larger than the limit and endless lines, instead of buffering them', () => {
    expect(() => new AgentReader(10).push(Buffer.from('out\t1\t11\n'))).toThrow(ProtocolError);
    expect(() => new AgentReader(10, 64).push(Buffer.alloc(100, 97))).toThrow(ProtocolError);
  });

  it('escapes tabs and newlines in tree paths', () => {
    const t = treeRequest('1', '/code', [{ path: 'a\tb', kind: 'file', mode: 0o644, data: Buffer.from('x') }]).toString();
    expect(t).toBe('tree\t1\t/code\t1\nf\ta\\tb\t644\t1\nx');
  });
});

describe('timed runs must print what the check run printed', () => {
  const answers = { part1: '42', part2: '7' };
  it('passes outputs that all hold the answers, timing chatter or not', () => {
    expect(timedOutputProblem(['42\n7\n(1.2 ms)', '42\n7\n(1.1 ms)'], [0, 1, 0], answers)).toBeNull();
  });
  it('names the first run that printed something else', () => {
    expect(timedOutputProblem(['42\n7\n', ''], [0, 0, 1], answers)).toMatch(/output changed between runs: timed run 3 did not print part 1 "42" and part 2 "7"/);
  });
  it('does not trust runs whose output was not kept', () => {
    expect(timedOutputProblem(['42\n7\n'], [0, -1], answers)).toMatch(/run 2 printed more distinct output/);
  });
});

describe('repository paths', () => {
  it('accepts paths inside and refuses ones that leave', () => {
    expect(safeRelative('./1/input.txt')).toBe('1/input.txt');
    for (const p of ['../x', '/etc/passwd', '1/../../x', '.', '']) expect(() => safeRelative(p)).toThrow(/outside the repository/);
  });
});
