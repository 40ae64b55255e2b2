/** Expected answers and the answer check of a run's output. */
export interface Answers {
  part1: string | null;
  part2: string | null;
}

export interface IgnoredParts {
  part1?: boolean;
  part2?: boolean;
}

/** AoCBench's format: line 1 = part 1, line 2 = part 2; empty lines skipped, CRLF and padding ignored. */
export function parseAnswers(text: string | null | undefined): Answers {
  const lines = (text ?? '')
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return { part1: lines[0] ?? null, part2: lines[1] ?? null };
}

export function hasAnyAnswer(a: Answers): boolean {
  return a.part1 !== null || a.part2 !== null;
}

/** Parts that will be checked once ignored parts are removed. */
export function effectiveAnswers(a: Answers, ignored: IgnoredParts = {}): Answers {
  return { part1: ignored.part1 ? null : a.part1, part2: ignored.part2 ? null : a.part2 };
}

const WORD = /[A-Za-z0-9_]/;

/** Index just past a whole-token match of `needle` at or after `from`, or -1. */
function findToken(hay: string, needle: string, from: number): { start: number; end: number } | null {
  const h = hay.toLowerCase();
  const n = needle.toLowerCase();
  let i = h.indexOf(n, from);
  while (i >= 0) {
    const before = i > 0 ? hay[i - 1] : '';
    const after = hay[i + n.length] ?? '';
    const afterNext = hay[i + n.length + 1] ?? '';
    const wordBefore = WORD.test(before) && WORD.test(needle[0]);
    const wordAfter = WORD.test(after) && WORD.test(needle[needle.length - 1]);
    const signBefore = before === '-' && /[0-9]/.test(needle[0]) && !WORD.test(hay[i - 2] ?? '');
    const decimalAfter = (after === '.' || after === ',') && /[0-9]/.test(afterNext) && /[0-9]$/.test(needle);
    if (!wordBefore && !wordAfter && !signBefore && !decimalAfter) return { start: i, end: i + n.length };
    i = h.indexOf(n, i + 1);
  }
  return null;
}

export interface CheckResult {
  correct: boolean;
  /** Parts that were compared; empty when no answer is known. */
  checked: Array<'part1' | 'part2'>;
  missing: Array<'part1' | 'part2'>;
}

/**
 * Every known part must appear as a whole token (so `12` does not match `1234`),
 * part 2 after part 1 as AoCBench requires; case-insensitive like AoCBench.
 */
export function checkOutput(output: string, expected: Answers): CheckResult {
  const out = output.replace(/\r\n?/g, '\n');
  const checked: Array<'part1' | 'part2'> = [];
  if (expected.part1 !== null) checked.push('part1');
  if (expected.part2 !== null) checked.push('part2');
  const p1 = expected.part1;
  const p2 = expected.part2;
  if (p1 !== null && p2 !== null) {
    let from = 0;
    let firstP1: { start: number; end: number } | null = null;
    for (let m = findToken(out, p1, from); m; m = findToken(out, p1, from)) {
      firstP1 ??= m;
      if (findToken(out, p2, m.end)) return { correct: true, checked, missing: [] };
      from = m.start + 1;
    }
    const missing: Array<'part1' | 'part2'> = firstP1 ? ['part2'] : ['part1'];
    if (!firstP1 && !findToken(out, p2, 0)) missing.push('part2');
    return { correct: false, checked, missing };
  }
  const only = p1 ?? p2;
  if (only === null) return { correct: true, checked, missing: [] };
  const ok = findToken(out, only, 0) !== null;
  return { correct: ok, checked, missing: ok ? [] : [p1 !== null ? 'part1' : 'part2'] };
}

/** The first `max` characters of an output for messages, whole lines where possible. */
export function excerpt(output: string, max = 2000): string {
  const t = output.replace(/\r\n?/g, '\n');
  if (t.length <= max) return t;
  const cut = t.lastIndexOf('\n', max);
  return `${t.slice(0, cut > max / 2 ? cut : max)}\n… (${t.length - max} more characters)`;
}

/** AoCBench `ignoreResult` entries: "10" ignores day 10, "10/1" part 1 of day 10. */
export function ignoredParts(entries: Array<string | number>, day: number): IgnoredParts {
  const r: IgnoredParts = {};
  for (const e of entries.map(String)) {
    const [d, p] = e.split('/');
    if (Number(d) !== day) continue;
    if (p === undefined) return { part1: true, part2: true };
    if (p === '1') r.part1 = true;
    if (p === '2') r.part2 = true;
  }
  return r;
}

/**
 * Why the timed runs cannot be trusted, or null. Each distinct output they
 * printed must pass the check the check run passed: a solution that only
 * does its work when watched (or prints something else when timed) never
 * gets a time. `runOutputs` maps each run, warm-up first, to its output; -1
 * means the output was not kept (too much distinct output to check).
 */
/** `part 1 "12" and part 2 "34"`: the expected parts an output did not show, for messages. */
export function describeMissing(expected: Answers, missing: Array<'part1' | 'part2'>): string {
  return missing.map((p) => `${p === 'part1' ? 'part 1' : 'part 2'} "${expected[p]}"`).join(' and ');
}

export function timedOutputProblem(outputs: string[], runOutputs: number[], expected: Answers): string | null {
  const unkept = runOutputs.indexOf(-1);
  if (unkept >= 0) return `output changed between runs: run ${unkept + 1} printed more distinct output than can be checked`;
  for (const [k, out] of outputs.entries()) {
    const v = checkOutput(out, expected);
    if (v.correct) continue;
    return `output changed between runs: timed run ${runOutputs.indexOf(k) + 1} did not print ${describeMissing(expected, v.missing)}`;
  }
  return null;
}
