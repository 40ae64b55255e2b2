import { posix } from 'node:path';
import { checkOutput, excerpt, type Answers } from '../lib/answers.ts';
import { toCommandSpec, type CommandSpec } from '../lib/command.ts';
import type { RepeatPolicy } from '../lib/instance-config.ts';
import type { ParticipantConfig } from '../lib/participant-config.ts';
import { expand, type PlaceholderValues } from '../lib/placeholders.ts';
import { writeInsideRepo } from './checkout.ts';
import type { ExecResult, ExecStatus, Session } from './executor/types.ts';

export type Verdict = 'correct' | 'wrong' | 'error' | 'timeout' | 'oom' | 'output-limit' | 'unchecked';
export type Step = 'runonce' | 'input' | 'prerun' | 'check' | 'timing';

export interface DayOutcome {
  status: Verdict;
  failedStep: Step | null;
  exitCode: number | null;
  samplesMs: number[];
  checkMs: number | null;
  message: string | null;
  runonceOutput: string | null;
  checkOutput: string | null;
}

export interface DayRunInput {
  config: ParticipantConfig;
  year: number;
  day: number;
  repoDir: string;
  /** Repo-relative path where the input is written (after runonce, as AoCBench). */
  inputPath: string;
  input: string;
  answers: Answers;
  repeat: RepeatPolicy;
  onStep?: (step: Step | 'timing-runs', detail?: string) => void;
}

const OUTPUT_KEEP = 64 * 1024;

export function failure(r: ExecResult): Verdict {
  if (r.status === 'timeout') return 'timeout';
  if (r.status === 'oom') return 'oom';
  if (r.status === 'output-limit') return 'output-limit';
  return 'error';
}

export function describe(step: Step, r: { status: ExecStatus; code: number }, timeoutMs: number): string {
  switch (r.status) {
    case 'timeout':
      return `${step} timed out after ${Math.round(timeoutMs / 1000)} s`;
    case 'oom':
      return `${step} ran out of memory`;
    case 'output-limit':
      return `${step} printed more than the output limit`;
    case 'spawn-error':
      return `${step} could not be started (command not found?)`;
    case 'signal':
      return `${step} was killed by signal ${r.code - 128}`;
    default:
      return `${step} exited with code ${r.code}`;
  }
}

/** Wrong-answer message with what was expected, for the health view. */
function wrongMessage(answers: Answers, missing: Array<'part1' | 'part2'>): string {
  const parts = missing.map((p) => `${p === 'part1' ? 'part 1' : 'part 2'} "${answers[p]}"`);
  return `wrong answer: expected ${parts.join(' and ')} not found in the output`;
}

export interface CheckResult {
  status: Verdict;
  exitCode: number;
  message: string | null;
  output: string;
  wallMs: number;
  /** Parts compared with known answers; empty means `unchecked`. */
  checked: number;
}

/** Runs the command once, untimed, and checks its output against the answers. */
export async function checkRun(session: Session, cmd: CommandSpec, answers: Answers, timeoutMs: number): Promise<CheckResult> {
  const res = await session.exec(cmd, { timeoutMs, capMode: 'kill' });
  const output = excerpt(res.output, OUTPUT_KEEP);
  if (res.status !== 'exit' || res.code !== 0) {
    return { status: failure(res), exitCode: res.code, message: describe('check', res, timeoutMs), output, wallMs: res.wallMs, checked: 0 };
  }
  const verdict = checkOutput(res.output, answers);
  if (!verdict.correct) return { status: 'wrong', exitCode: 0, message: wrongMessage(answers, verdict.missing), output, wallMs: res.wallMs, checked: verdict.checked.length };
  return { status: verdict.checked.length ? 'correct' : 'unchecked', exitCode: 0, message: null, output, wallMs: res.wallMs, checked: verdict.checked.length };
}

/** runonce (compile), once per container; null when the config has none. */
export async function runonceStep(session: Session, cfg: ParticipantConfig, v: PlaceholderValues, timeoutMs: number): Promise<ExecResult | null> {
  if (!cfg.runonce) return null;
  return session.exec(toCommandSpec(expand(cfg.runonce, v), true), { timeoutMs, capMode: 'cut' });
}

/** prerun, once per container; AoCBench ignores its exit code, but a hang or an OOM still counts. */
export async function prerunStep(session: Session, cfg: ParticipantConfig, v: PlaceholderValues, timeoutMs: number): Promise<ExecResult | null> {
  if (!cfg.prerun) return null;
  const res = await session.exec(toCommandSpec(expand(cfg.prerun, v), true), { timeoutMs, capMode: 'cut' });
  return res.status === 'timeout' || res.status === 'oom' || res.status === 'output-limit' ? res : null;
}

export const commandOf = (cfg: ParticipantConfig, v: PlaceholderValues): CommandSpec => toCommandSpec(expand(cfg.cmd, v), cfg.hyperfineshell);

/**
 * One (participant, day) in one session: runonce, input, prerun, the check
 * run (untimed), then the timed runs, stopping at the first failure.
 */
export async function runDay(session: Session, r: DayRunInput): Promise<DayOutcome> {
  const cfg = r.config;
  const timeoutMs = r.repeat.timeoutSec * 1000;
  const v = { day: r.day, year: r.year, input: posix.join(cfg.code, r.inputPath) };
  const out: DayOutcome = {
    status: 'error', failedStep: null, exitCode: null, samplesMs: [], checkMs: null, message: null, runonceOutput: null, checkOutput: null,
  };
  const fail = (step: Step, res: ExecResult): DayOutcome => ({
    ...out, status: failure(res), failedStep: step, exitCode: res.code, message: describe(step, res, timeoutMs),
  });

  if (cfg.runonce) r.onStep?.('runonce');
  const once = await runonceStep(session, cfg, v, timeoutMs);
  if (once) {
    out.runonceOutput = excerpt(once.output, OUTPUT_KEEP);
    if (once.status !== 'exit' || once.code !== 0) return fail('runonce', once);
  }

  r.onStep?.('input');
  try {
    await writeInsideRepo(r.repoDir, r.inputPath, r.input);
  } catch (e) {
    return { ...out, status: 'error', failedStep: 'input', message: `cannot write the input: ${(e as Error).message}` };
  }

  if (cfg.prerun) r.onStep?.('prerun');
  const pre = await prerunStep(session, cfg, v, timeoutMs);
  if (pre) return fail('prerun', pre);

  r.onStep?.('check');
  const cmd = commandOf(cfg, v);
  const check = await checkRun(session, cmd, r.answers, timeoutMs);
  out.checkOutput = check.output;
  out.checkMs = check.wallMs;
  if (check.status !== 'correct' && check.status !== 'unchecked') {
    return { ...out, status: check.status, failedStep: 'check', exitCode: check.exitCode, message: check.message };
  }

  // The check run already tells how long a run takes: a slow day skips the warm-up and starts with fewer runs.
  const p = r.repeat;
  const runs = check.wallMs > p.veryLongAfterSec * 1000 ? Math.min(p.runs, p.veryLongRuns) : check.wallMs > p.longAfterSec * 1000 ? Math.min(p.runs, p.longRuns) : p.runs;
  const warmup = check.wallMs > p.longAfterSec * 1000 ? 0 : p.warmup;
  r.onStep?.('timing-runs', `${warmup ? `${warmup} warm-up + ` : ''}${runs} runs`);
  const timed = await session.time(cmd, {
    timeoutMs, warmup, runs,
    longAfterMs: p.longAfterSec * 1000, longRuns: p.longRuns,
    veryLongAfterMs: p.veryLongAfterSec * 1000, veryLongRuns: p.veryLongRuns,
  });
  if (timed.status !== 'exit' || timed.code !== 0) {
    const fake: ExecResult = { status: timed.status, code: timed.code, wallMs: 0, output: '', truncated: false };
    return { ...fail('timing', fake), message: `${describe('timing', timed, timeoutMs)} (the check run had passed)` };
  }
  return { ...out, status: check.status, samplesMs: timed.samplesMs };
}
