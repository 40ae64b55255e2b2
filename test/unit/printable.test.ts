import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { printable, printableLine, printableOrNull } from '../../lib/printable.ts';
import { summaryTable } from '../../runner/report/summary-table.ts';
import { Progress } from '../../runner/report/progress.ts';
import { guardTerminal } from '../../runner/report/terminal-guard.ts';
import type { BenchSummary } from '../../runner/records.ts';

const ESC = '\u001b';
const BEL = '\u0007';
const CSI1 = '\u009b';
const RLO = '\u202e';
/** What a terminal would act on: C0 but tab and newline, DEL, C1, bidi controls. */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE = `a${ESC}[2Jb${ESC}]52;c;aGk=${BEL}c${CSI1}31md${RLO}txt.exe`;

describe('printable', () => {
  it('shows every control character as a \\u escape and keeps the rest', () => {
    expect(printable(HOSTILE)).toBe('a\\u001b[2Jb\\u001b]52;c;aGk=\\u0007c\\u009b31md\\u202etxt.exe');
    expect(printable('Part 1: 42\n\tPart 2: ü 日本 🎄\n')).toBe('Part 1: 42\n\tPart 2: ü 日本 🎄\n');
    for (const c of ['\u0000', '\u0008', '\u000b', '\u000c', '\u007f', '\u0080', '\u009f', '\u061c', '\u200f', '\u202a', '\u2066', '\u2069']) {
      expect(printable(`x${c}y`), c.charCodeAt(0).toString(16)).toMatch(/^x\\u[0-9a-f]{4}y$/);
    }
  });

  it('keeps a CR that ends a line, shows a lone CR (it would overwrite the line)', () => {
    expect(printable('42\r\n43\r\n')).toBe('42\r\n43\r\n');
    expect(printable('wrong\rcorrect')).toBe('wrong\\rcorrect');
  });

  it('in one line shows line breaks and tabs too', () => {
    expect(printableLine('a\nb\tc\r\nd')).toBe('a\\nb\\tc\\nd');
    expect(printableLine(HOSTILE)).not.toMatch(RAW);
    expect(printableLine('x')).toBe('x');
  });

  it('is idempotent and leaves JSON meaning unchanged', () => {
    expect(printable(printable(HOSTILE))).toBe(printable(HOSTILE));
    const json = JSON.stringify({ [`k${CSI1}`]: HOSTILE });
    expect(printable(json)).not.toMatch(RAW);
    expect(JSON.parse(printable(json))).toEqual(JSON.parse(json));
  });

  it('passes null through', () => {
    expect(printableOrNull(null)).toBeNull();
    expect(printableOrNull(`${ESC}`)).toBe('\\u001b');
  });
});

describe('the terminal choke points', () => {
  it('the summary table keeps one line per row and no raw control character', () => {
    const s = {
      jobs: [{ participant: `eve${ESC}[2J`, day: 1, reason: 'new', medianMs: null, relCi: null, outcome: { status: 'wrong', samplesMs: [], message: `bad${RLO}\nline${CSI1}` } }],
      notRun: [{ participant: 'mallory', why: `image${ESC}]52;c;eA==${BEL}` }],
      containers: 1, skipped: 0, onWorkers: false,
    } as unknown as BenchSummary;
    const out = summaryTable(s);
    expect(out).not.toMatch(RAW);
    expect(out.split('\n').filter((l) => l.startsWith('eve'))).toHaveLength(1);
    expect(out).toContain('eve\\u001b[2J');
  });

  it('Progress lines are one line with control characters visible', () => {
    const lines: string[] = [];
    const p = new Progress((l) => lines.push(l), () => 0);
    p.plan(1, 1000);
    p.step(`eve${ESC}[1A`, 1, 'run', `out${BEL}\nmore`);
    p.info(`${CSI1}2J`);
    expect(lines.join('')).not.toMatch(RAW);
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
  });

  it('the CLI streams let nothing raw through, strings or buffers split inside a character', async () => {
    let got = '';
    const sink = new Writable({ write: (chunk, _enc, cb) => ((got += chunk.toString()), cb()) }) as unknown as NodeJS.WriteStream;
    guardTerminal([sink]);
    sink.write(`x${ESC}[2J\n`);
    const rlo = Buffer.from(`y${RLO}z${CSI1}`);
    sink.write(rlo.subarray(0, 2));
    await new Promise<void>((resolve) => sink.write(rlo.subarray(2), () => resolve()));
    expect(got).toBe('x\\u001b[2J\ny\\u202ez\\u009b');
  });
});
