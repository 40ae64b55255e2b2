import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { InstanceConfig } from '../../lib/instance-config.ts';
import { expand } from '../../lib/placeholders.ts';
import type { LoadedInstance } from '../../db/instance.ts';
import type { Executor, Session, SessionSpec } from '../executor/types.ts';
import { instanceLabel } from '../host/instance-id.ts';
import type { ParticipantState } from '../prepare/participant-state.ts';


const hash8 = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 8);

export function diskBytes(instance: InstanceConfig): number {
  return instance.limits.diskMb * 1024 * 1024;
}

/**
 * The named volume of a participant's persistence dir. With several seasons
 * each season has its own: one repository's 2023 and 2024 would otherwise
 * share a build dir, and a build tool trusting its timestamps could run one
 * year's binary on the other's input. A single-year instance keeps its names.
 */
export function persistenceVolume(dataDir: string, dirName: string, path: string, season: number | null): string {
  const owner = `aocbench-${instanceLabel(dataDir)}-${dirName.toLowerCase()}${season === null ? '' : `-${season}`}`;
  return `${owner}-${hash8(path)}`;
}

/**
 * What a (participant, day) sandbox gets: a fresh copy of the committed tree
 * at `code`, persistence dirs kept across this participant's days and runs
 * (AoCBench kept them in the repo, where every clean wiped them), the
 * participant's environment and the instance's limits.
 */
export async function sessionSpec(inst: LoadedInstance, state: ParticipantState, image: string, day: number): Promise<SessionSpec> {
  const cfg = state.config!;
  const v = { day, year: inst.config.year };
  const persistence = cfg.persistence.map((p) => {
    const path = expand(p, v).replace(/\/+$/, '') || '/';
    return { path, volume: persistenceVolume(inst.dataDir, state.dirName, path, inst.config.seasonal ? inst.config.year : null) };
  });
  const env = cfg.environment.map((e) => {
    const i = e.indexOf('=');
    return `${e.slice(0, i)}=${expand(e.slice(i + 1), v)}`;
  });
  const l = inst.config.limits;
  const disk = diskBytes(inst.config);
  return {
    name: `aocbench-${state.dirName.toLowerCase()}-d${day}`,
    image,
    // A workdir that is relative once placeholders are filled in (`%day%`) is inside the code dir.
    workdir: posix.resolve(cfg.code, expand(cfg.workdir, v)),
    env,
    code: cfg.code,
    tree: await state.tree!.files(disk),
    persistence,
    limits: { memoryMb: l.memoryMb, pids: l.pids, outputBytes: l.outputKb * 1024, diskBytes: disk, cpus: l.cpus },
    labels: { 'aocbench.instance': instanceLabel(inst.dataDir), 'aocbench.participant': state.dirName, 'aocbench.day': String(day) },
    runonceNetwork: state.entry.runonceNetwork && !!cfg.runonce,
  };
}

/** The sandbox of one (participant, day), as bench, matrix, `run` and `shell` all start it. */
export async function startDaySession(executor: Executor, inst: LoadedInstance, state: ParticipantState, image: string, day: number, opts: { interactive?: boolean } = {}): Promise<Session> {
  return executor.start({ ...(await sessionSpec(inst, state, image, day)), ...opts });
}
