import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const AGENT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'agent');
/** The agent's sources (agent.c: protocol and main loop; run.c: commands and timing; files.c: code copy, input, disk use; user.c: the image's user, dropping privileges; state.c: the state every run starts from; meter.c: peak memory and CPU time of a run). */
export const AGENT_SOURCES = ['agent.c', 'run.c', 'files.c', 'user.c', 'state.c', 'meter.c', 'agent.h'].map((f) => join(AGENT_DIR, f));
export const AGENT_BINARY = join(AGENT_DIR, 'aocbench-agent');

/** Static busybox mounted into every container, so shell commands work in images without a shell. */
export const BUSYBOX_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox'];

/**
 * The static agent binary, compiled from its sources when missing or older than
 * any of them (npm install does this too). Static so it runs in any image.
 */
export function ensureAgentBinary(): string {
  const stale = !existsSync(AGENT_BINARY) || AGENT_SOURCES.some((src) => statSync(AGENT_BINARY).mtimeMs < statSync(src).mtimeMs);
  if (stale) {
    try {
      execFileSync('cc', ['-static', '-O2', '-o', AGENT_BINARY, ...AGENT_SOURCES.filter((f) => f.endsWith('.c'))], { stdio: 'pipe' });
    } catch (e) {
      const err = e as { stderr?: Buffer; message: string };
      throw new Error(
        `cannot build the container agent (${AGENT_BINARY}): a C compiler with static libc is needed (Debian: gcc libc6-dev).\n${err.stderr?.toString() ?? err.message}`,
      );
    }
  }
  return AGENT_BINARY;
}

/** True for an ELF executable without a program interpreter, i.e. one that runs in any image. */
export function isStaticElf(path: string): boolean {
  const b = readFileSync(path);
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2) return false;
  const phoff = Number(b.readBigUInt64LE(0x20));
  const phentsize = b.readUInt16LE(0x36);
  const phnum = b.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    if (b.readUInt32LE(phoff + i * phentsize) === 3 /* PT_INTERP */) return false;
  }
  return true;
}

export function findBusybox(): string | null {
  return BUSYBOX_CANDIDATES.find((p) => existsSync(p) && isStaticElf(p)) ?? null;
}
