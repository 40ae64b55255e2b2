import { posix } from 'node:path';
import { checkOutput, describeMissing, excerpt, timedOutputProblem, type Answers } from '../../lib/answers.ts';
import { toCommandSpec, type CommandSpec } from '../../lib/command.ts';
import type { InstanceConfig, RepeatPolicy } from '../../lib/instance-config.ts';
import type { ParticipantConfig } from '../../lib/participant-config.ts';
import { expand, type PlaceholderValues } from '../../lib/placeholders.ts';
import { SandboxError, type ExecResult, type ExecStatus, type Session } from '../executor/types.ts';
import { errorOutcome, type DayOutcome, type Step, type Verdict } from '../records.ts';
import { runCountLabel } from '../../lib/run-count.ts';
import { changedMessage, describe, failure, sandboxFailure, stepFailure, type StepFailure, type StepLimits } from './step-failure.ts';
import { timedRuns } from './timed-runs.ts';

export type { StepFailure } from './step-failure.ts';


/** What a day's commands need: the participant's config and where the day's input goes. */
export interface DaySetup {
  config: ParticipantConfig;
  year: number;
  day: number;
  /** Repo-relative path where the input is written (after runonce, as AoCBench). */
  inputPath: string;
  timeoutMs: number;
  /** The sandbox's memory limit, named in out-of-memory messages. */
  memoryMb: number;
  /** The admin lets runonce reach the network (participants[].runonceNetwork). */
  runonceNetwork?: boolean;
  onStep?: (step: Step | 'timing-runs', detail?: string) => void;
}

/** A day's setup from the instance config (repeat.timeoutSec, limits.memoryMb). */
export function daySetup(instance: InstanceConfig, config: ParticipantConfig, day: number, inputPath: string, runonceNetwork = false): DaySetup {
  return { config, year: instance.year, day, inputPath, timeoutMs: instance.repeat.timeoutSec * 1000, memoryMb: instance.limits.memoryMb, runonceNetwork };
}

/** What a runonce that wanted the network prints (package managers, git, curl, wget, DNS). */
const NETWORK_FAILURE = /could not resolve|temporary failure in name resolution|name or service not known|network is unreachable|bad address|getaddrinfo|no route to host|failed to fetch|unable to access|could not connect|connection refused|dns/i;


export interface DayRunInput extends Omit<DaySetup, 'timeoutMs'> {
  input: string;
  answers: Answers;
  repeat: RepeatPolicy;
}

const OUTPUT_KEEP = 64 * 1024;

/** Wrong-answer message with what was expected, for the health view. */
function wrongMessage(answers: Answers, missing: Array<'part1' | 'part2'>): string {
  return `wrong answer: expected ${describeMissing(answers, missing)} not found in the output`;
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
export async function checkRun(session: Session, cmd: CommandSpec, answers: Answers, limits: StepLimits): Promise<CheckResult> {
  const res = await session.exec(cmd, { timeoutMs: limits.timeoutMs, capMode: 'kill' });
  const output = excerpt(res.output, OUTPUT_KEEP);
  if (res.changed) return { status: 'error', exitCode: res.code, message: changedMessage('check', res.changed), output, wallMs: res.wallMs, checked: 0 };
  if (res.status !== 'exit' || res.code !== 0) {
    return { status: failure(res), exitCode: res.code, message: describe('check', res, limits), output, wallMs: res.wallMs, checked: 0 };
  }
  const verdict = checkOutput(res.output, answers);
  if (!verdict.correct) return { status: 'wrong', exitCode: 0, message: wrongMessage(answers, verdict.missing), output, wallMs: res.wallMs, checked: verdict.checked.length };
  return { status: verdict.checked.length ? 'correct' : 'unchecked', exitCode: 0, message: null, output, wallMs: res.wallMs, checked: verdict.checked.length };
}

export const commandOf = (cfg: ParticipantConfig, v: PlaceholderValues): CommandSpec => toCommandSpec(expand(cfg.cmd, v), cfg.hyperfineshell);

export const placeholders = (s: Pick<DaySetup, 'config' | 'day' | 'year' | 'inputPath'>): PlaceholderValues => ({
  day: s.day, year: s.year, input: posix.join(s.config.code, s.inputPath),
});

/**
 * What every use of a day's session does before its command runs (bench,
 * matrix, `run`, `shell`): runonce (compile), the disk check, prerun (whose
 * exit code is ignored, as in AoCBench; a hang or an OOM still counts), the
 * input written where the participant reads it, and then the sandbox's state
 * recorded, so that every run starts from it (Session.mark). The input comes
 * after every untimed step, as in AoCBench's matrix: no step outside the
 * runs sees it, and nothing a run leaves reaches the next.
 */
export async function prepareDay(session: Session, s: DaySetup, input: string | null): Promise<{ failure: StepFailure | null; runonceOutput: string | null }> {
  const cfg = s.config;
  const v = placeholders(s);
  let runonceOutput: string | null = null;
  if (cfg.runonce) {
    s.onStep?.('runonce');
    const net = await runonceNetwork(session, s, true);
    if (net) return { failure: net, runonceOutput };
    const once = await session.exec(toCommandSpec(expand(cfg.runonce, v), true), { timeoutMs: s.timeoutMs, capMode: 'cut' });
    // Nothing after runonce ever has the network: when it cannot be taken away, nothing else runs.
    const off = await runonceNetwork(session, s, false);
    if (off) return { failure: off, runonceOutput };
    runonceOutput = excerpt(once.output, OUTPUT_KEEP);
    if (once.status !== 'exit' || once.code !== 0) {
      const f = stepFailure('runonce', once, s);
      if (!s.runonceNetwork && NETWORK_FAILURE.test(once.output)) f.message += ' (runonce has no network; if it must download something, an admin can allow it with participants[].runonceNetwork: true)';
      return { failure: f, runonceOutput };
    }
    const disk = await session.checkDisk();
    if (disk) return { failure: sandboxFailure('runonce', disk), runonceOutput };
  }
  if (cfg.prerun) {
    s.onStep?.('prerun');
    const pre = await session.exec(toCommandSpec(expand(cfg.prerun, v), true), { timeoutMs: s.timeoutMs, capMode: 'cut' });
    if (pre.status === 'timeout' || pre.status === 'oom' || pre.status === 'output-limit') return { failure: stepFailure('prerun', pre, s), runonceOutput };
  }
  if (input !== null) {
    s.onStep?.('input');
    const problem = await writeInput(session, s, input);
    if (problem) return { failure: problem, runonceOutput };
  }
  const unmarked = await session.mark();
  if (unmarked) return { failure: sandboxFailure('input', `cannot record the sandbox's state before the runs: ${unmarked}`), runonceOutput };
  return { failure: null, runonceOutput };
}

/** Network for runonce, with the admin's opt-in only; null, or the failure that stops the day. */
async function runonceNetwork(session: Session, s: DaySetup, on: boolean): Promise<StepFailure | null> {
  if (!s.runonceNetwork) return null;
  try {
    await session.setNetwork(on);
    return null;
  } catch (e) {
    return sandboxFailure('runonce', on ? `cannot give runonce the network: ${(e as Error).message}` : `cannot take the network away after runonce, so nothing was run: ${(e as Error).message}`);
  }
}

/** The input, written by the sandbox's agent where the participant's config reads it. */
export async function writeInput(session: Session, s: Pick<DaySetup, 'config' | 'inputPath'>, input: string): Promise<StepFailure | null> {
  try {
    await session.putFile(posix.join(s.config.code, s.inputPath), input);
    return null;
  } catch (e) {
    if (e instanceof SandboxError) return sandboxFailure('input', `cannot write the input: ${e.message}`);
    throw e;
  }
}

/**
 * One (participant, day) in one session: prepare, the check run (untimed),
 * then the timed runs, whose every output must pass the same check; stops at
 * the first failure.
 */
export async function runDay(session: Session, r: DayRunInput): Promise<DayOutcome> {
  const timeoutMs = r.repeat.timeoutSec * 1000;
  const out = errorOutcome(null);
  const failed = (f: StepFailure): DayOutcome => ({ ...out, status: f.status, failedStep: f.step, exitCode: f.exitCode, message: f.message });

  const prep = await prepareDay(session, { ...r, timeoutMs }, r.input);
  out.runonceOutput = prep.runonceOutput;
  if (prep.failure) return failed(prep.failure);

  r.onStep?.('check');
  const cmd = commandOf(r.config, placeholders(r));
  const check = await checkRun(session, cmd, r.answers, { timeoutMs, memoryMb: r.memoryMb });
  out.checkOutput = check.output;
  out.checkMs = check.wallMs;
  if (check.status !== 'correct' && check.status !== 'unchecked') {
    return { ...out, status: check.status, failedStep: 'check', exitCode: check.exitCode, message: check.message };
  }

  r.onStep?.('timing-runs', runCountLabel(r.repeat));
  const timed = await timedRuns(session, cmd, r.repeat, { timeoutMs, memoryMb: r.memoryMb, checkMs: check.wallMs, answers: r.answers, checked: check.status === 'correct' });
  if ('failure' in timed) return failed(timed.failure);
  const disk = await session.checkDisk();
  if (disk) return failed(sandboxFailure('timing', disk));
  return { ...out, status: check.status, samplesMs: timed.samplesMs, stopReason: timed.stopReason, usage: timed.usage, meter: timed.meter };
}
