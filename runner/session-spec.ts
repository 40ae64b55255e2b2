import { createHash } from 'node:crypto';
import { chmod, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { InstanceConfig } from '../lib/instance-config.ts';
import type { ParticipantConfig } from '../lib/participant-config.ts';
import { expand } from '../lib/placeholders.ts';
import type { SessionSpec } from './executor/types.ts';

export function instanceLabel(dataDir: string): string {
  return createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
}

/**
 * What a (participant, day) container gets: the checkout at `code`, persistence
 * dirs kept in the data dir (AoCBench kept them in the repo, where every clean
 * wiped them), the participant's environment and the instance's limits.
 */
export async function sessionSpec(opts: {
  instance: InstanceConfig;
  dataDir: string;
  dirName: string;
  repoDir: string;
  config: ParticipantConfig;
  image: string;
  day: number;
}): Promise<SessionSpec> {
  const { config: cfg, day } = opts;
  const v = { day, year: opts.instance.year };
  const mounts = [{ host: opts.repoDir, container: cfg.code }];
  for (const p of cfg.persistence) {
    const path = expand(p, v).replace(/\/+$/, '') || '/';
    const id = createHash('sha256').update(path).digest('hex').slice(0, 8);
    const host = join(opts.dataDir, 'persist', opts.dirName, `${id}_${basename(path) || 'root'}`);
    await mkdir(host, { recursive: true });
    await chmod(host, 0o777);
    mounts.push({ host, container: path });
  }
  const env = cfg.environment.map((e) => {
    const i = e.indexOf('=');
    return `${e.slice(0, i)}=${expand(e.slice(i + 1), v)}`;
  });
  const l = opts.instance.limits;
  return {
    name: `aocbench-${opts.dirName.toLowerCase()}-d${day}`,
    image: opts.image,
    workdir: expand(cfg.workdir, v),
    env,
    mounts,
    limits: { memoryMb: l.memoryMb, pids: l.pids, outputBytes: l.outputKb * 1024, cpus: l.cpus },
    labels: { 'aocbench.instance': instanceLabel(opts.dataDir), 'aocbench.participant': opts.dirName, 'aocbench.day': String(day) },
  };
}
