import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import Docker from 'dockerode';
import { parseAnswers, type Answers } from '../lib/answers.ts';
import { dirName } from '../lib/instance-config.ts';
import { chooseSharedInput } from '../lib/shared-input.ts';
import { resetCheckout, writeInsideRepo } from './checkout.ts';
import { loadInstance, type LoadedInstance } from './config-load.ts';
import { checkRun, commandOf, prerunStep, runonceStep, type CheckResult } from './day-run.ts';
import { BUSYBOX_PATH, DockerExecutor } from './executor/docker.ts';
import type { SessionSpec } from './executor/types.ts';
import { inputsDirCandidate, loadParticipantState, type ParticipantState } from './participant-state.ts';
import { resolveImage } from './prepare.ts';
import { sessionSpec } from './session-spec.ts';

/** What `shell` and `run` share: the participant's state, image and the exact session of a benchmark run. */
async function prepareDay(inst: LoadedInstance, name: string, day: number) {
  const entry = inst.config.participants.find((p) => p.name === name || dirName(p.name) === name);
  if (!entry) throw new Error(`no participant "${name}" in ${inst.file}`);
  const states: ParticipantState[] = [];
  for (const e of inst.config.participants) states.push(await loadParticipantState(inst.config, inst.dataDir, e));
  const state = states.find((s) => s.entry === entry)!;
  if (!state.config) throw new Error(`${name}: ${state.validation.messages.join(' ')}`);
  const info = state.days.get(day);
  if (!info?.inputPath) throw new Error(`${name}: day ${day} has no input path (${info?.problem ?? 'day out of range'})`);
  const docker = new Docker();
  const image = await resolveImage(docker, state, false);
  if (!image.ok || !image.imageId) throw new Error(`${name}: image ${image.ref} is not usable:\n${image.log}`);
  const shared = chooseSharedInput(
    await inputsDirCandidate(inst.inputsDir, day, inst.config.ignoreAnswers),
    states.filter((s) => s.config && !s.entry.ignoreInputs.includes(day)).map((s) => ({ source: s.entry.name, input: s.days.get(day)?.input ?? null, answers: s.days.get(day)?.answers ?? { part1: null, part2: null } })),
  );
  const spec = await sessionSpec({ instance: inst.config, dataDir: inst.dataDir, dirName: state.dirName, repoDir: state.repoDir, config: state.config, image: image.imageId, day });
  return { state, info, shared, spec, docker };
}

/** `docker run` arguments with the sandbox of a benchmark session (see sandboxHostConfig). */
export function dockerRunArgs(spec: SessionSpec, busybox: string | null, tty: boolean): string[] {
  const mem = `${spec.limits.memoryMb}m`;
  const shell = `if [ -x /bin/bash ]; then exec /bin/bash; elif [ -x /bin/sh ]; then exec /bin/sh; else exec ${BUSYBOX_PATH} sh; fi`;
  return [
    'run', '--rm', '-i', ...(tty ? ['-t'] : []), '--name', `${spec.name}-shell-${randomBytes(3).toString('hex')}`,
    '--network', 'none', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges', '--pids-limit', String(spec.limits.pids),
    '--memory', mem, '--memory-swap', mem, ...(spec.limits.cpus ? ['--cpus', String(spec.limits.cpus)] : []),
    '-w', spec.workdir, ...spec.env.flatMap((e) => ['-e', e]),
    ...spec.mounts.flatMap((m) => ['-v', `${m.host}:${m.container}${m.readonly ? ':ro' : ''}`]),
    ...(busybox ? ['-v', `${busybox}:${BUSYBOX_PATH}:ro`] : []),
    ...Object.entries(spec.labels ?? {}).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    '--entrypoint', busybox ? BUSYBOX_PATH : '/bin/sh', spec.image, ...(busybox ? ['sh', '-c', shell] : []),
  ];
}

/** `aocbench shell`: an interactive shell in the participant's day container, network still off. */
export async function operatorShell(opts: { config?: string; participant: string; day: number }): Promise<number> {
  const inst = loadInstance(opts.config);
  const { state, info, shared, spec } = await prepareDay(inst, opts.participant, opts.day);
  const { busybox } = await new DockerExecutor(join(inst.dataDir, 'run')).hostTools();
  await resetCheckout(state.repoDir, false, state.tree?.decrypted);
  const input = shared?.input ?? info.input;
  if (input) await writeInsideRepo(state.repoDir, info.inputPath!, input);
  process.stderr.write(`shell in ${spec.image} for ${state.entry.name} day ${opts.day} (workdir ${spec.workdir}, no network); the input is at ${posix.join(state.config!.code, info.inputPath!)}\n`);
  const r = spawnSync('docker', dockerRunArgs(spec, busybox, !!process.stdin.isTTY), { stdio: 'inherit' });
  await resetCheckout(state.repoDir, false, state.tree?.decrypted);
  return r.status ?? 1;
}

/** `aocbench run`: one untimed run of a day, printed and checked, nothing stored. */
export async function operatorRun(opts: { config?: string; participant: string; day: number; input?: string; answers?: string }): Promise<{ result: CheckResult; answers: Answers; runonce: string | null }> {
  const inst = loadInstance(opts.config);
  const { state, info, shared, spec, docker } = await prepareDay(inst, opts.participant, opts.day);
  const input = opts.input ? readFileSync(opts.input, 'utf8') : (shared?.input ?? info.input);
  if (!input) throw new Error(`no input for day ${opts.day}: give one with --input FILE`);
  const answers = opts.answers ? parseAnswers(readFileSync(opts.answers, 'utf8')) : opts.input ? { part1: null, part2: null } : (shared?.answers ?? info.answers);
  const session = await new DockerExecutor(join(inst.dataDir, 'run'), docker).start(spec);
  const cfg = state.config!;
  const v = { day: opts.day, year: inst.config.year, input: posix.join(cfg.code, info.inputPath!) };
  const timeoutMs = inst.config.repeat.timeoutSec * 1000;
  try {
    await resetCheckout(state.repoDir, false, state.tree?.decrypted);
    const once = await runonceStep(session, cfg, v, timeoutMs);
    if (once && (once.status !== 'exit' || once.code !== 0)) {
      return { result: { status: 'error', exitCode: once.code, message: `runonce failed (${once.status} ${once.code})`, output: once.output, wallMs: once.wallMs, checked: 0 }, answers, runonce: once.output };
    }
    await writeInsideRepo(state.repoDir, info.inputPath!, input);
    await prerunStep(session, cfg, v, timeoutMs);
    return { result: await checkRun(session, commandOf(cfg, v), answers, timeoutMs), answers, runonce: once?.output ?? null };
  } finally {
    await session.close();
    await resetCheckout(state.repoDir, false, state.tree?.decrypted).catch(() => {});
  }
}
