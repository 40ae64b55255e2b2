import { describe, expect, it } from 'vitest';
import { timesExport, resultsExport, aocbenchResults } from '../../lib/export.ts';
import { chooseClass, classLabel, hardwareClasses, inClass, NO_CLASS_PARAM } from '../../lib/hardware-class.ts';

const env = (hardwareClass?: string) => JSON.stringify({ executor: 'docker', cpuModel: 'EPYC', ...(hardwareClass ? { hardwareClass, host: `${hardwareClass}-1` } : {}) });
const r = (id: number, cls: string | undefined, runAt = 0) => ({ id, env: env(cls), runAt });

describe('hardware classes of results', () => {
  it('counts the classes present, the most results first, a tie going to the most recent run', () => {
    const cs = hardwareClasses([r(1, 'slow', 5), r(2, 'fast', 9), r(3, 'slow', 1), r(4, 'fast', 2), r(5, undefined, 3)]);
    expect(cs.map((c) => [c.name, c.count])).toEqual([['fast', 2], ['slow', 2], [null, 1]]);
  });

  it('shows the configured class by default when it has results, else the class with the most', () => {
    const cs = hardwareClasses([r(1, 'slow'), r(2, 'slow'), r(3, 'fast')]);
    expect(chooseClass(cs, { configured: 'fast' })!.shown.name).toBe('fast');
    expect(chooseClass(cs, { configured: 'gpu' })!.shown.name).toBe('slow');
    expect(chooseClass(cs, {})!.shown.name).toBe('slow');
    expect(chooseClass(cs, {})!.defaultName).toBe('slow');
  });

  it('?class= selects another class; an unknown one falls back to the default', () => {
    const cs = hardwareClasses([r(1, 'slow'), r(2, 'fast'), r(3, undefined)]);
    expect(chooseClass(cs, { configured: 'fast', requested: 'slow' })!.shown.name).toBe('slow');
    expect(chooseClass(cs, { configured: 'fast', requested: 'nope' })!.shown.name).toBe('fast');
    expect(chooseClass(cs, { configured: 'fast', requested: NO_CLASS_PARAM })!.shown.name).toBeNull();
  });

  it('results without a class (no queue) are a group of their own, labelled as this host', () => {
    const rs = [r(1, undefined), r(2, 'fast'), { id: 3, env: null, runAt: 0 }, { id: 4, env: 'not json', runAt: 0 }];
    expect(hardwareClasses(rs).map((c) => [c.name, c.count])).toEqual([[null, 3], ['fast', 1]]);
    expect(inClass(rs, null).map((x) => x.id)).toEqual([1, 3, 4]);
    expect(inClass(rs, 'fast').map((x) => x.id)).toEqual([2]);
    expect(classLabel(null)).toBe('this host (no queue)');
  });

  it('one class, or none at all, is nothing to choose: no split', () => {
    expect(chooseClass(hardwareClasses([r(1, undefined), r(2, undefined)]), {})).toBeNull();
    expect(chooseClass(hardwareClasses([r(1, 'fast'), r(2, 'fast')]), { configured: 'fast', requested: 'slow' })).toBeNull();
    expect(chooseClass(hardwareClasses([]), { configured: 'fast' })).toBeNull();
  });
});

describe('exports with several classes', () => {
  const ps = [{ id: 1, name: 'A', dirName: 'A', repo: '', branch: null, subheading: null, language: null }];
  const row = (day: number, cls?: string) => ({
    participantId: 1, day, status: 'correct', samples: '[1,2,3]', medianMs: 2, meanMs: 2, minMs: 1, maxMs: 3, stddevMs: 1, ciLowMs: 1, ciHighMs: 3, version: 'v', runAt: 0, inputSource: null, env: env(cls),
  });

  it('keep every result and say its class; the AoCBench shapes only when there is one', () => {
    const rows = [row(1, 'fast'), row(2, 'slow'), row(3)];
    const days = resultsExport(ps, rows, [row(1, 'slow')], { year: 2025, lastUpdate: null }).participants[0].days;
    expect([days['1'].hardwareClass, days['2'].hardwareClass, days['3'].hardwareClass, days['1'].history[0].hardwareClass]).toEqual(['fast', 'slow', null, 'slow']);
    const t = timesExport(ps, rows).A.days as Record<string, Record<string, unknown>>;
    expect([t['1'].hardwareClass, t['2'].hardwareClass, 'hardwareClass' in t['3']]).toEqual(['fast', 'slow', false]);
    const a = aocbenchResults(ps, rows, [], { lastUpdate: null, hardware: '' }).results.A.days as Record<string, Record<string, unknown>>;
    expect([a['1'].hardwareClass, 'hardwareClass' in a['3']]).toEqual(['fast', false]);
  });
});
