import type { Answers } from './answers.ts';

/** Matrix input names: a participant's name, the instance's inputs dir, or a custom input. */
export const INPUTS_DIR_NAME = 'inputs';
export const customInputName = (name: string) => `custom:${name}`;

const TOKEN = /[A-Za-z0-9_,.-]+/g;

function tokens(output: string): string[] {
  return (output.match(TOKEN) ?? []).map((t) => t.replace(/[.,]+$/, '').toLowerCase());
}

/**
 * Where a solver prints its answers, learned from an output whose answers are
 * known: the index of each part among the output's tokens.
 */
/** Words whose next token is a label ("Part 2", "Day 7"), not an answer. */
const LABELS = new Set(['part', 'day', 'p']);

export function answerPositions(output: string, answers: Answers): { part1: number | null; part2: number | null } | null {
  const t = tokens(output);
  const find = (a: string | null, from = 0) => {
    if (a === null) return null;
    const want = a.toLowerCase();
    for (let i = from; i < t.length; i++) if (t[i] === want && !LABELS.has(t[i - 1])) return i;
    return -1;
  };
  const p1 = find(answers.part1);
  const p2 = find(answers.part2, p1 !== null && p1 >= 0 ? p1 + 1 : 0);
  if (p1 === -1 || p2 === -1 || (p1 === null && p2 === null)) return null;
  return { part1: p1, part2: p2 };
}

export function extractAnswers(output: string, pos: { part1: number | null; part2: number | null }): Answers {
  const t = tokens(output);
  return { part1: pos.part1 === null ? null : (t[pos.part1] ?? null), part2: pos.part2 === null ? null : (t[pos.part2] ?? null) };
}

export interface Consensus {
  answers: Answers;
  agree: number;
  of: number;
}

/**
 * For an input nobody published answers for: the answers most solvers agree
 * on, each solver read at the positions learned from its own known-answer runs.
 * Only a strict majority of at least two counts; it is shown as consensus, never as truth.
 */
export function consensus(extracted: Answers[]): Consensus | null {
  const votes = new Map<string, { answers: Answers; n: number }>();
  for (const a of extracted) {
    if (a.part1 === null && a.part2 === null) continue;
    const k = JSON.stringify([a.part1, a.part2]);
    votes.set(k, { answers: a, n: (votes.get(k)?.n ?? 0) + 1 });
  }
  const of = [...votes.values()].reduce((s, v) => s + v.n, 0);
  const best = [...votes.values()].sort((a, b) => b.n - a.n)[0];
  if (!best || best.n < 2 || best.n * 2 <= of) return null;
  return { answers: best.answers, agree: best.n, of };
}

export type MatrixFlag = 'overfit' | 'wrong-everywhere' | 'fails-everywhere';

export const FLAG_LABEL: Record<MatrixFlag, string> = {
  overfit: 'right on own input only',
  'wrong-everywhere': 'wrong on every input',
  'fails-everywhere': 'fails on every input (errors, not answers)',
};

/**
 * A solver's matrix flag for a day, from every solver's cells of that day;
 * only inputs with known answers count. "Wrong on every input" needs wrong
 * answers everywhere (a compile failure is an error, not a wrong answer:
 * "fails on every input"). "Right on own input only" needs evidence against
 * the solver, not against an input: right on its own input, and wrong on an
 * input where most of the other solvers are right.
 */
export function matrixFlag(solverId: number, ownInput: string, dayCells: Array<{ solverId: number; input: string; status: string }>): MatrixFlag | null {
  const checked = dayCells.filter((c) => c.solverId === solverId && c.status !== 'unchecked');
  if (!checked.length) return null;
  if (!checked.some((c) => c.status === 'correct')) return checked.every((c) => c.status === 'wrong') ? 'wrong-everywhere' : 'fails-everywhere';
  if (checked.find((c) => c.input === ownInput)?.status !== 'correct') return null;
  const othersRight = (input: string) => {
    const others = dayCells.filter((c) => c.input === input && c.solverId !== solverId && c.status !== 'unchecked');
    return others.length > 0 && others.filter((c) => c.status === 'correct').length * 2 > others.length;
  };
  return checked.some((c) => c.status === 'wrong' && c.input !== ownInput && othersRight(c.input)) ? 'overfit' : null;
}

/**
 * Consensus answers of one input without answers: each solver's answer
 * positions are learned from its correct runs on inputs whose answers are known.
 */
export function consensusFor(
  input: string,
  cells: Array<{ solverId: number; input: string; status: string; output: string | null }>,
  answersOf: Map<string, Answers>,
  /** Which verdicts on `input` are read: unchecked and correct ones, or (for a disputed answers file) wrong ones. */
  statuses: string[] = ['unchecked', 'correct'],
): Consensus | null {
  const bySolver = new Map<number, typeof cells>();
  for (const c of cells) bySolver.set(c.solverId, [...(bySolver.get(c.solverId) ?? []), c]);
  const extracted: Answers[] = [];
  for (const list of bySolver.values()) {
    const target = list.find((c) => c.input === input && c.output !== null && statuses.includes(c.status));
    const known = list.find((c) => c.input !== input && c.status === 'correct' && c.output !== null && answersOf.has(c.input));
    if (!target || !known) continue;
    const pos = answerPositions(known.output!, answersOf.get(known.input)!);
    if (pos) extracted.push(extractAnswers(target.output!, pos));
  }
  return consensus(extracted);
}

/** The inputs a solver must (re)run: new ones, changed ones, all after its code or image changed, or all when forced. */
export function cellsToRun<T extends { name: string; version: string }>(inputs: T[], stored: Map<string, { inputVersion: string; solverVersion: string }>, solverVersion: string, force: boolean): T[] {
  return inputs.filter((i) => force || stored.get(i.name)?.inputVersion !== i.version || stored.get(i.name)?.solverVersion !== solverVersion);
}

const sameAnswer = (a: string | null, b: string | null) => a === null || b === null || a.toLowerCase() === b.toLowerCase();

/**
 * Whether an input's answers file is contradicted by the evidence: no solver
 * reproduces it, while most solvers print the same other answers (each read
 * where that solver prints its answers, learned from its correct runs on other
 * inputs). Returns what they agree on, or null when the file stands.
 */
export function disputedAnswers(
  input: string,
  cells: Array<{ solverId: number; input: string; status: string; output: string | null }>,
  answersOf: Map<string, Answers>,
): Consensus | null {
  const own = answersOf.get(input);
  if (!own || (own.part1 === null && own.part2 === null)) return null;
  if (cells.some((c) => c.input === input && c.status === 'correct')) return null;
  const agreed = consensusFor(input, cells, answersOf, ['wrong']);
  if (!agreed || (sameAnswer(agreed.answers.part1, own.part1) && sameAnswer(agreed.answers.part2, own.part2))) return null;
  return agreed;
}
