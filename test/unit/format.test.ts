import { describe, expect, it } from 'vitest';
import {
  formatDiff,
  formatTime,
  methodValue,
  METHODS,
  parseMethod,
  parseUnit,
  UNITS,
  ZERO_DIFF,
} from '../../lib/format.ts';

describe('formatTime', () => {
  it('formats the same duration in each unit', () => {
    expect(formatTime(1234.5678, 's')).toBe('1.235 s');
    expect(formatTime(1234.5678, 'ms')).toBe('1,234.57 ms');
    expect(formatTime(1234.5678, 'us')).toBe('1,234,568 µs');
  });
  it('pads decimals and handles small values', () => {
    expect(formatTime(0.5, 's')).toBe('0.001 s');
    expect(formatTime(2, 'ms')).toBe('2.00 ms');
    expect(formatTime(0.0004, 'us')).toBe('0 µs');
    expect(formatTime(-0.001, 'ms')).toBe('0.00 ms');
  });
});

describe('formatDiff', () => {
  it('prefixes positive diffs with + and keeps the sign of negative ones', () => {
    expect(formatDiff(1.5, 'ms')).toBe('+1.50 ms');
    expect(formatDiff(1500, 's')).toBe('+1.500 s');
    expect(formatDiff(-2.25, 'ms')).toBe('-2.25 ms');
  });
  it('shows a dash for no difference', () => {
    expect(ZERO_DIFF).toBe('–');
    expect(formatDiff(0, 'ms')).toBe('–');
    expect(formatDiff(0, 'us')).toBe('–');
  });
});

describe('parse', () => {
  it('accepts known values', () => {
    for (const m of METHODS) expect(parseMethod(m)).toBe(m);
    for (const u of UNITS) expect(parseUnit(u)).toBe(u);
  });
  it('defaults to median and ms', () => {
    expect(parseMethod(undefined)).toBe('median');
    expect(parseMethod('average')).toBe('median');
    expect(parseMethod('')).toBe('median');
    expect(parseUnit(undefined)).toBe('ms');
    expect(parseUnit('µs')).toBe('ms');
    expect(parseUnit('MS')).toBe('ms');
  });
});

describe('methodValue', () => {
  const stats = { medianMs: 2, minMs: 1, meanMs: 2.5, maxMs: null };
  it('picks the field of the method', () => {
    expect(methodValue(stats, 'median')).toBe(2);
    expect(methodValue(stats, 'min')).toBe(1);
    expect(methodValue(stats, 'mean')).toBe(2.5);
    expect(methodValue(stats, 'max')).toBeNull();
  });
});
