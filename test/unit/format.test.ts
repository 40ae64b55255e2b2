import { describe, expect, it } from 'vitest';
import {
  formatDiff,
  formatTime,
  shortHash,
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

describe('shortHash', () => {
  it('cuts each hash of a code version or image id to 7 characters and keeps the rest', () => {
    expect(shortHash('src:0123456789abcdef:fedcba9876543210')).toBe('src:0123456:fedcba9');
    expect(shortHash('sha256:4f2a9c0b1d2e3f4a5b6c7d8e9f0a1b2c')).toBe('4f2a9c0');
    expect(shortHash('seed:3')).toBe('seed:3');
    expect(shortHash('-:0123456789abcdef')).toBe('-:0123456');
  });
});
