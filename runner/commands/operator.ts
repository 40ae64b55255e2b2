import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseAnswers, type Answers } from '../../lib/answers.ts';
import { dirName } from '../../lib/instance-config.ts';
import { inputFor } from '../../lib/plan.ts';
import { openSeasonDb } from '../../db/client.ts';
import { loadInstance, type LoadedInstance } from '../../db/instance.ts';
import { checkRun, commandOf, daySetup, placeholders, prepareDay, type CheckResult, type DaySetup } from '../day/recipe.ts';
import type { Session } from '../executor/types.ts';
import { loadParticipantState, type ParticipantState } from '../prepare/participant-state.ts';
import { currentSharedInputs } from '../prepare/shared-inputs.ts';
import { openExecutor, resolveImage } from '../prepare/images.ts';
import { startDaySession } from '../day/session-spec.ts';

/** What `shell` and `run` share: the participant's state, its image and the exact sandbox of a benchmark run. */
async function prepareOperatorDay(inst: LoadedInstance, name: string, day: number, interactive = false) {
  const entry = inst.config.participants.find((p) => p.name === name || dirName(p.name) === name);
  if (!entry) throw new Error(`no participant "${name}" in ${inst.file}`);
  const states: ParticipantState[] = [];
  for (const e of inst.config.participants) states.push(await loadParticipantState(inst.config, inst.dataDir, e));
  const state = states.find((s) => s.entry === entry)!;
  if (!state.config) throw new Error(`${name}: ${state.validation.messages.join(' ')}`);
  const info = state.days.get(day);
  if (!info?.inputPath) throw new Error(`${name}: day ${day} has no input path (${info?.problem ?? 'day out of range'})`);
  const executor = await openExecutor(inst);
  const image = await resolveImage(executor, inst, state, false);
  if (!image.ok || !image.imageId) throw new Error(`${name}: image ${image.ref} is not usable:\n${image.log}`);
  // The input a bench would run it on, chosen the same way (disputed answers files passed over).
  const db = openSeasonDb(inst);
  const { shared: sharedInputs } = await currentSharedInputs(db, inst, states.filter((s) => s.config)).finally(() => db.$client.close());
  const input = inputFor(sharedInputs.get(day) ?? null, info, state.entry.name);
  const setup = daySetup(inst.config, state.config, day, info.inputPath, entry.runonceNetwork);
  const session = await startDaySession(executor, inst, state, image.imageId, day, { interactive });
  return { state, input, setup, session };
}

/** `aocbench shell`: an interactive shell in the participant's day sandbox (runonce done, input in place), network still off. */
export async function operatorShell(opts: { config?: string; season?: number; participant: string; day: number }): Promise<number> {
  const inst = loadInstance(opts.config, opts.season);
  const { state, input, setup, session } = await prepareOperatorDay(inst, opts.participant, opts.day, true);
  try {
    const prep = await prepareDay(session, setup, input?.input ?? null);
    if (prep.failure) process.stderr.write(`${prep.failure.message}${prep.runonceOutput ? `\n${prep.runonceOutput}` : ''}\n`);
    process.stderr.write(`shell for ${state.entry.name} day ${opts.day} (workdir ${setup.config.workdir}, no network); the input is at ${placeholders(setup).input}\n`);
    const sh = await session.openShell(!!process.stdin.isTTY);
    return spawnSync(sh.command, sh.args, { stdio: 'inherit' }).status ?? 1;
  } finally {
    await session.close();
  }
}

/** `aocbench run`: one untimed run of a day, printed and checked, nothing stored. */
export async function operatorRun(opts: { config?: string; season?: number; participant: string; day: number; input?: string; answers?: string }): Promise<{ result: CheckResult; answers: Answers; runonce: string | null }> {
  const inst = loadInstance(opts.config, opts.season);
  const inputText = opts.input ? readFileSync(opts.input, 'utf8') : null;
  const { input: planned, setup, session } = await prepareOperatorDay(inst, opts.participant, opts.day);
  try {
    const input = inputText ?? planned?.input;
    if (!input) throw new Error(`no input for day ${opts.day}: give one with --input FILE`);
    const answers = opts.answers ? parseAnswers(readFileSync(opts.answers, 'utf8')) : opts.input ? { part1: null, part2: null } : (planned?.answers ?? { part1: null, part2: null });
    return { ...(await runChecked(session, setup, input, answers)), answers };
  } finally {
    await session.close();
  }
}

async function runChecked(session: Session, setup: DaySetup, input: string, answers: Answers): Promise<{ result: CheckResult; runonce: string | null }> {
  const prep = await prepareDay(session, setup, input);
  if (prep.failure) {
    const f = prep.failure;
    return { result: { status: f.status, exitCode: f.exitCode ?? -1, message: f.message, output: prep.runonceOutput ?? '', wallMs: 0, checked: 0 }, runonce: prep.runonceOutput };
  }
  return { result: await checkRun(session, commandOf(setup.config, placeholders(setup)), answers, setup), runonce: prep.runonceOutput };
}

