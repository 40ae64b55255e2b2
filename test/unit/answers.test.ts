import { describe, expect, it } from 'vitest';
import { checkOutput, effectiveAnswers, ignoredParts, parseAnswers } from '../../lib/answers.ts';

describe('answers', () => {
  it('parses CRLF and padded answer files', () => {
    expect(parseAnswers('  123\r\n\r\n456 \r\n')).toEqual({ part1: '123', part2: '456' });
    expect(parseAnswers('42')).toEqual({ part1: '42', part2: null });
    expect(parseAnswers(null)).toEqual({ part1: null, part2: null });
  });
  it('requires whole tokens: 12 does not match 1234', () => {
    expect(checkOutput('Part 1: 1234\nPart 2: 5', { part1: '12', part2: '5' }).correct).toBe(false);
    expect(checkOutput('Part 1: 12\nPart 2: 5', { part1: '12', part2: '5' }).correct).toBe(true);
    expect(checkOutput('p1=-12 p2=5', { part1: '12', part2: '5' }).correct).toBe(false);
    expect(checkOutput('p1=12.5 p2=5', { part1: '12', part2: '5' }).correct).toBe(false);
  });
  it('needs part 2 after part 1', () => {
    expect(checkOutput('5\n12', { part1: '12', part2: '5' }).correct).toBe(false);
    expect(checkOutput('12 12', { part1: '12', part2: '12' }).correct).toBe(true);
  });
  it('handles CRLF output and letters case-insensitively', () => {
    expect(checkOutput('ABC\r\nxyz\r\n', { part1: 'abc', part2: 'XYZ' }).correct).toBe(true);
  });
  it('checks only part 1 when only part 1 is known (day 25)', () => {
    expect(checkOutput('answer 99', { part1: '99', part2: null })).toMatchObject({ correct: true, checked: ['part1'] });
    expect(checkOutput('answer 98', { part1: '99', part2: null })).toMatchObject({ correct: false, missing: ['part1'] });
  });
  it('says which part is missing', () => {
    expect(checkOutput('1\n3', { part1: '1', part2: '2' }).missing).toEqual(['part2']);
    expect(checkOutput('0\n3', { part1: '1', part2: '2' }).missing).toEqual(['part1', 'part2']);
  });
  it('skips ignored parts (AoCBench ignoreResult)', () => {
    expect(ignoredParts(['3', '10/1'], 10)).toEqual({ part1: true });
    expect(ignoredParts(['3'], 3)).toEqual({ part1: true, part2: true });
    const a = effectiveAnswers({ part1: '1', part2: '2' }, ignoredParts(['10/1'], 10));
    expect(checkOutput('x 2', a).correct).toBe(true);
    expect(checkOutput('anything', effectiveAnswers({ part1: '1', part2: '2' }, { part1: true, part2: true })).checked).toEqual([]);
  });
});
