/**
 * The planner alone (lib/plan.ts): which days run and why, each day's health,
 * the shared input and the answers files the matrix contradicts. Pure data in,
 * data out: no repository, database or sandbox.
 */
import { describe, expect, it } from 'vitest';
import { disputedAnswersFiles, inputFor, planParticipant, rerunReason, sharedInputs, type DayInfo, type PlanParticipant, type StoredRun } from '../../lib/plan.ts';
import { inputVersion } from '../../lib/versions.ts';

const day = (n: number, over: Partial<DayInfo> = {}): DayInfo => ({
  day: n, exists: true, wip: false, version: `v${n}`, inputPath: `day${n}/input.txt`, answerPath: `day${n}/answers.txt`,
  input: `input ${n}\n`, answers: { part1: `${n}`, part2: `${n * 2}` }, problem: null, ...over,
});
const who = (name: string, days: DayInfo[], over: Partial<PlanParticipant> = {}): PlanParticipant => ({ name, ignoreDays: [], ignoreInputs: [], days: new Map(days.map((d) => [d.day, d])), ...over });
const plan = (p: PlanParticipant, stored = new Map<number, StoredRun>(), over: { force?: boolean; only?: number[]; shared?: ReturnType<typeof sharedInputs> } = {}) =>
  planParticipant(p, { imageId: 'img1', shared: over.shared ?? sharedInputs(3, new Map(), [p]), stored, force: !!over.force, selectDay: (d) => !over.only || over.only.includes(d) });

describe('the planner', () => {
  it('runs a new day, skips one whose code, input and image are as stored, and says why each runs', () => {
    const ada = who('Ada', [day(1), day(2), day(3)]);
    const first = plan(ada);
    expect(first.days.map((d) => [d.day, d.reason])).toEqual([[1, 'new'], [2, 'new'], [3, 'new']]);
    const stored = new Map(first.days.map((d) => [d.day, { version: d.version, inputVersion: d.inputVersion, imageId: d.imageId, durationMs: 1234 }]));
    const again = plan(ada, stored);
    expect(again.days).toEqual([]);
    expect(again.skipped).toBe(3);
    const changed = plan(who('Ada', [day(1, { version: 'v1b' }), day(2, { input: 'other\n' }), day(3)]), stored);
    expect(changed.days.map((d) => [d.day, d.reason, d.estimateMs])).toEqual([[1, 'code changed', 1234], [2, 'input changed', 1234]]);
    expect(plan(ada, stored, { force: true }).days.map((d) => d.reason)).toEqual(['forced', 'forced', 'forced']);
    expect(plan(ada, stored, { only: [2], force: true }).days.map((d) => d.day)).toEqual([2]);
  });

  it('re-runs a day whose image changed, and orders the reasons code, input, image', () => {
    const key = { version: 'a', inputVersion: 'b', imageId: 'c' };
    expect(rerunReason(key, key, false)).toBeNull();
    expect(rerunReason(key, { ...key, imageId: 'd' }, false)).toBe('image changed');
    expect(rerunReason(key, { ...key, version: 'x', imageId: 'd' }, false)).toBe('code changed');
    expect(rerunReason(undefined, key, false)).toBe('new');
  });

  it('gives every selected day a health line: absent, ignored, work in progress (flagged), broken paths, no input', () => {
    const p = who('Bo', [day(1, { exists: false, version: null }), day(2), day(3, { wip: true }), day(4, { problem: 'inputPath escapes the repository' }), day(5, { input: null, answers: { part1: null, part2: null } })], { ignoreDays: [2] });
    const r = planParticipant(p, { imageId: 'i', shared: new Map(), stored: new Map(), force: false, selectDay: () => true });
    expect(r.days).toEqual([]);
    const byDay = Object.fromEntries(r.health.map((h) => [h.day, [h.level, h.wip]]));
    expect(byDay).toEqual({ 1: ['ok', false], 2: ['warning', false], 3: ['warning', true], 4: ['error', false], 5: ['warning', false] });
    expect(r.health.find((h) => h.day === 3)!.message).toMatch(/Work in progress/);
  });

  it('shares the inputs dir first, else the first participant with input and answers whose input is not set aside or disputed', () => {
    const dir = { source: 'inputs', input: 'dir\n', answers: { part1: '1', part2: '2' } };
    const noAnswers = who('A', [day(1, { answers: { part1: null, part2: null } })]);
    const setAside = who('B', [day(1, { input: 'b\n' })], { ignoreInputs: [1] });
    const disputed = who('C', [day(1, { input: 'c\n' })]);
    const good = who('D', [day(1, { input: 'd\n' })]);
    const all = [noAnswers, setAside, disputed, good];
    expect(sharedInputs(1, new Map([[1, dir]]), all).get(1)!.source).toBe('inputs');
    expect(sharedInputs(1, new Map(), all, (d, name) => name === 'C').get(1)!.source).toBe('D');
    expect(sharedInputs(1, new Map(), [noAnswers]).get(1)).toBeNull();
    // A participant with no shared input runs on its own.
    expect(inputFor(null, day(1), 'A')!.source).toBe('A');
    expect(inputFor(null, day(1, { input: '  ' }), 'A')).toBeNull();
    const r = plan(noAnswers, new Map(), { shared: sharedInputs(1, new Map(), all) });
    expect(r.days[0].input.source).toBe('C');
  });

  it('finds an answers file every solver contradicts, only while that file is the one the matrix saw', () => {
    const input = 'x\n';
    const answers = { part1: '1', part2: '2' };
    const version = inputVersion(input, answers);
    // Where each solver prints its answers is learned from its correct runs on another input (Zed's).
    const evidence = {
      inputs: [{ day: 1, name: 'Eve', version, part1: '1', part2: '2' }, { day: 1, name: 'Zed', version: 'z', part1: '5', part2: '6' }],
      cells: [1, 2, 3].flatMap((solverId) => [
        { solverId, day: 1, input: 'Eve', inputVersion: version, status: 'wrong', output: 'Part 1: 7\nPart 2: 8\n' },
        { solverId, day: 1, input: 'Zed', inputVersion: 'z', status: 'correct', output: 'Part 1: 5\nPart 2: 6\n' },
      ]),
    };
    const now = disputedAnswersFiles(evidence, (_, name) => (name === 'Eve' ? version : 'z'));
    expect([...now.keys()]).toEqual(['1/Eve']);
    expect(now.get('1/Eve')!.answers).toEqual({ part1: '7', part2: '8' });
    expect(disputedAnswersFiles(evidence, () => 'changed since').size).toBe(0);
  });
});
