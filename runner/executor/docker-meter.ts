import type Docker from 'dockerode';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The host's side of the agent's memory meter (runner/agent/meter.c) in
 * Docker on cgroup v1: each container is started below a memory cgroup of its
 * own (CgroupParent), whose high-water mark counts everything in the container
 * and which the agent resets before each run. Only that one file is bound in,
 * owned by a user no sandbox runs as, mode 0600: the agent opens it while it
 * still holds CAP_DAC_OVERRIDE; the participant's processes, with no
 * capability, cannot (and the agent refuses it when the image runs as that user).
 *
 * Used only where the runner sees the cgroups the daemon makes (a local
 * daemon on v1 with the cgroupfs driver, the runner not itself in a container):
 * start() checks that the container landed below the folder made for it, and
 * otherwise starts it again without the meter and stops asking for it.
 */
const ROOT = '/sys/fs/cgroup';
const PARENT = 'aocbench';
/** The owner of the bound file: a user id no image is expected to use; the agent refuses the file when it is the image's. */
export const METER_UID = 3999999999;
export const METER_TARGET = '/.aocbench-meter';
const SWEEP_AFTER_MS = 10 * 60_000;

export interface MeterPlacement {
  cgroupParent: string;
  mount: Docker.MountSettings;
  /** The folder made for the container: the container's own cgroup must appear inside it. */
  dir: string;
}

/** Whether this daemon's containers can be metered from here; asked once per executor. */
export async function meterAvailable(docker: Docker): Promise<boolean> {
  if (process.env.AOCBENCH_MEMORY_METER === 'off' || process.getuid?.() !== 0) return false;
  if (!existsSync(join(ROOT, 'memory', 'memory.max_usage_in_bytes'))) return false;
  const info = (await docker.info().catch(() => null)) as { CgroupVersion?: string; CgroupDriver?: string } | null;
  return info?.CgroupVersion === '1' && info.CgroupDriver === 'cgroupfs';
}

/** Makes the container's parent memory cgroup and hands its high-water mark to the meter's user; null when it cannot. */
export function placeMeter(name: string): MeterPlacement | null {
  const dir = join(ROOT, 'memory', PARENT, name);
  const file = join(dir, 'memory.max_usage_in_bytes');
  try {
    mkdirSync(dir, { recursive: true });
    chownSync(file, METER_UID, 0);
    chmodSync(file, 0o600);
  } catch {
    removeMeter(name);
    return null;
  }
  return { cgroupParent: `/${PARENT}/${name}`, dir, mount: { Type: 'bind', Source: file, Target: METER_TARGET, ReadOnly: false } };
}

/** True when Docker put the container's cgroup below the folder made for it (the meter then counts the container). */
export function meterHolds(p: MeterPlacement, containerId: string): boolean {
  return existsSync(join(p.dir, containerId));
}

/** Removes the container's parent cgroup from every hierarchy Docker made it in; one still in use stays (rmdir refuses). */
export function removeMeter(name: string): void {
  for (const h of hierarchies()) {
    try {
      rmdirSync(join(ROOT, h, PARENT, name));
    } catch {}
  }
}

/**
 * Parents left by a runner that was killed: every empty one older than a few
 * minutes goes (a container still running keeps its own; a fresh one may be
 * another runner's, made for a container about to start).
 */
export function sweepMeters(now = Date.now()): void {
  for (const h of hierarchies()) {
    let names: string[] = [];
    try {
      names = readdirSync(join(ROOT, h, PARENT));
    } catch {
      continue;
    }
    for (const n of names) {
      try {
        const dir = join(ROOT, h, PARENT, n);
        if (now - statSync(dir).mtimeMs > SWEEP_AFTER_MS) rmdirSync(dir);
      } catch {}
    }
  }
}

function hierarchies(): string[] {
  try {
    return readdirSync(ROOT);
  } catch {
    return [];
  }
}
