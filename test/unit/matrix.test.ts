import { describe, expect, it } from 'vitest';
import { checkSubmission } from '../../lib/custom-input.ts';
import { answerPositions, consensus, consensusFor, disputedAnswers, extractAnswers, matrixFlag } from '../../lib/matrix.ts';

describe('matrix flags', () => {
  const ME = 1;
  const mine = (cells: Array<[string, string]>) => cells.map(([input, status]) => ({ solverId: ME, input, status }));
  const others = (input: string, ...statuses: string[]) => statuses.map((status, i) => ({ solverId: 10 + i, input, status }));

  it('right on its own input and wrong where most others are right: overfit', () => {
    expect(matrixFlag(ME, 'me', [...mine([['me', 'correct'], ['you', 'wrong']]), ...others('you', 'correct', 'correct', 'wrong')])).toBe('overfit');
  });

  it('wrong where the others are wrong too is the input\'s answers, not overfitting', () => {
    expect(matrixFlag(ME, 'me', [...mine([['me', 'correct'], ['you', 'wrong']]), ...others('you', 'wrong', 'wrong')])).toBeNull();
  });

  it('wrong everywhere needs wrong answers; errors everywhere are failures to run', () => {
    expect(matrixFlag(ME, 'me', mine([['me', 'wrong'], ['you', 'wrong'], ['x', 'unchecked']]))).toBe('wrong-everywhere');
    expect(matrixFlag(ME, 'me', mine([['me', 'error'], ['you', 'error']]))).toBe('fails-everywhere');
    expect(matrixFlag(ME, 'me', mine([['me', 'wrong'], ['you', 'timeout']]))).toBe('fails-everywhere');
    expect(matrixFlag(ME, 'me', mine([['x', 'unchecked']]))).toBeNull();
    expect(matrixFlag(ME, 'me', mine([['me', 'correct'], ['you', 'correct']]))).toBeNull();
  });
});

describe('disputed answers files', () => {
  // Each solver prints "Part 1: X Part 2: Y"; on its own input (with true answers) it is right.
  const out = (a: string, b: string) => `Part 1: ${a}\nPart 2: ${b}\n`;
  const answersOf = new Map([
    ['p', { part1: '0', part2: '0' }],
    ['q', { part1: '5', part2: '6' }],
    ['r', { part1: '7', part2: '8' }],
  ]);
  const cells = [
    { solverId: 1, input: 'p', status: 'wrong', output: out('11', '12') },
    { solverId: 2, input: 'p', status: 'wrong', output: out('11', '12') },
    { solverId: 3, input: 'p', status: 'wrong', output: out('11', '12') },
    { solverId: 2, input: 'q', status: 'correct', output: out('5', '6') },
    { solverId: 3, input: 'r', status: 'correct', output: out('7', '8') },
    { solverId: 1, input: 'q', status: 'correct', output: out('5', '6') },
  ];

  it('an answers file nobody reproduces while the solvers agree on other answers is disputed', () => {
    expect(disputedAnswers('p', cells, answersOf)).toEqual({ answers: { part1: '11', part2: '12' }, agree: 3, of: 3 });
  });

  it('stands when a solver reproduces it, or when the solvers do not agree', () => {
    expect(disputedAnswers('p', [...cells, { solverId: 4, input: 'p', status: 'correct', output: out('0', '0') }], answersOf)).toBeNull();
    const split = cells.map((c, i) => (c.input === 'p' && i === 0 ? { ...c, output: out('13', '14') } : c));
    expect(disputedAnswers('p', split.map((c, i) => (c.input === 'p' && i === 1 ? { ...c, output: out('15', '16') } : c)), answersOf)).toBeNull();
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

describe('answer positions', () => {
  it('a number that labels a part is not read as an answer', () => {
    expect(answerPositions('Part 1: 9\nPart 2: 2\n', { part1: '9', part2: '2' })).toEqual({ part1: 2, part2: 5 });
    expect(answerPositions('Part 1: 1\nPart 2: 5\n', { part1: '1', part2: '5' })).toEqual({ part1: 2, part2: 5 });
  });
});
