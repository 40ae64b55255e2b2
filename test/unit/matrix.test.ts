import { describe, expect, it } from 'vitest';
import { checkSubmission } from '../../lib/custom-input.ts';
import { answerPositions, consensus, consensusFor, extractAnswers, matrixFlag } from '../../lib/matrix.ts';

describe('matrix flags', () => {
  it('right only on its own input is flagged as overfit', () => {
    expect(matrixFlag('me', [{ input: 'me', status: 'correct' }, { input: 'you', status: 'wrong' }])).toBe('overfit');
  });
  it('wrong everywhere, unchecked cells ignored', () => {
    expect(matrixFlag('me', [{ input: 'me', status: 'wrong' }, { input: 'you', status: 'error' }, { input: 'x', status: 'unchecked' }])).toBe('wrong-everywhere');
    expect(matrixFlag('me', [{ input: 'x', status: 'unchecked' }])).toBeNull();
    expect(matrixFlag('me', [{ input: 'me', status: 'correct' }, { input: 'you', status: 'correct' }])).toBeNull();
  });
});

describe('consensus', () => {
  it('learns where a solver prints its answers', () => {
    const pos = answerPositions('Part 1: 574\nPart 2: 452\n', { part1: '574', part2: '452' })!;
    expect(extractAnswers('Part 1: 11\nPart 2: 22', pos)).toEqual({ part1: '11', part2: '22' });
    expect(answerPositions('nothing here', { part1: '574', part2: '452' })).toBeNull();
  });
  it('needs a strict majority of at least two', () => {
    const a = { part1: '1', part2: '2' };
    const b = { part1: '1', part2: '3' };
    expect(consensus([a, a, b])).toEqual({ answers: a, agree: 2, of: 3 });
    expect(consensus([a, b])).toBeNull();
    expect(consensus([a])).toBeNull();
  });
  it('reads each solver in its own format', () => {
    const cells = [
      { solverId: 1, input: 'known', status: 'correct', output: 'Part 1: 6\nPart 2: 3' },
      { solverId: 1, input: 'new', status: 'unchecked', output: 'Part 1: 20\nPart 2: 4' },
      { solverId: 2, input: 'known', status: 'correct', output: '6 3' },
      { solverId: 2, input: 'new', status: 'unchecked', output: '20 4' },
      { solverId: 3, input: 'known', status: 'wrong', output: 'junk' },
      { solverId: 3, input: 'new', status: 'unchecked', output: '99 99' },
    ];
    expect(consensusFor('new', cells, new Map([['known', { part1: '6', part2: '3' }]]))).toEqual({ answers: { part1: '20', part2: '4' }, agree: 2, of: 2 });
  });
});

describe('custom input submissions', () => {
  const limits = { days: 12, maxBytes: 100, taken: (d: number, n: string) => d === 1 && n === 'dup' };
  it('accepts a good one and normalises optional answers', () => {
    expect(checkSubmission({ day: '3', name: 'edge-1', input: '1 2\n', part1: ' 3 ', part2: '' }, limits)).toEqual({
      ok: true, value: { day: 3, name: 'edge-1', input: '1 2\n', part1: '3', part2: null },
    });
  });
  it('rejects with the right status', () => {
    const s = (x: object) => checkSubmission({ day: 1, name: 'ok', input: 'x', ...x }, limits);
    expect(s({ day: 13 })).toMatchObject({ ok: false, status: 400 });
    expect(s({ name: '' })).toMatchObject({ ok: false, status: 400 });
    expect(s({ input: 'x'.repeat(101) })).toMatchObject({ ok: false, status: 413 });
    expect(s({ input: 'a\uFFFDb' })).toMatchObject({ ok: false, status: 415 });
    expect(s({ name: 'dup' })).toMatchObject({ ok: false, status: 409 });
  });
});
