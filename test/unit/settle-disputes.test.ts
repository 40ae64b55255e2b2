import { describe, expect, it } from 'vitest';
import type { BenchJobResult } from '../../runner/records.ts';
import { suspectAnswerFiles } from '../../runner/cycle/settle-disputes.ts';

const job = (participant: string, day: number, status: string, inputSource = 'Ann'): BenchJobResult =>
  ({ participant, day, reason: 'new', inputSource, outcome: { status } } as BenchJobResult);

describe('answers files a bench run contradicts', () => {
  it('two wrong and none correct on a participant file is suspect', () => {
    expect(suspectAnswerFiles([job('Ann', 1, 'wrong'), job('Bob', 1, 'wrong'), job('Cy', 1, 'error')])).toEqual(new Map([[1, 'Ann']]));
  });
  it('one correct solver, a single wrong one, or the inputs dir is not', () => {
    expect(suspectAnswerFiles([job('Ann', 1, 'wrong'), job('Bob', 1, 'wrong'), job('Cy', 1, 'correct')]).size).toBe(0);
    expect(suspectAnswerFiles([job('Ann', 2, 'wrong'), job('Bob', 2, 'error')]).size).toBe(0);
    expect(suspectAnswerFiles([job('Ann', 3, 'wrong', 'inputs'), job('Bob', 3, 'wrong', 'inputs')]).size).toBe(0);
  });
});
