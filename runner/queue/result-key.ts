import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import type { QueueConfig } from '../../lib/instance-config.ts';

export const MIN_KEY_CHARS = 16;
/** A key file is a few dozen bytes: anything much larger is the wrong file, and is not read whole. */
const MAX_KEY_FILE_BYTES = 4096;
const HOW = `a random string of ${MIN_KEY_CHARS}+ characters, e.g. \`openssl rand -hex 32\`, the same on the coordinator and every worker`;

/**
 * The key workers sign results with and the coordinator checks them with:
 * from the variable `resultKeyEnv` names, or the file `resultKeyFile` names
 * (relative to `cwd`; a trailing newline is not part of the key). Throws
 * with what to set when it is missing or too short: a queue never runs unsigned.
 */
export function queueResultKey(q: QueueConfig, env: Record<string, string | undefined>, cwd = process.cwd()): Buffer {
  let key: string;
  let where: string;
  if (q.resultKeyEnv) {
    where = `queue.resultKeyEnv: the environment variable ${q.resultKeyEnv}`;
    const v = env[q.resultKeyEnv];
    if (!v) throw new Error(`${where} is not set: it should hold the key workers sign results with (${HOW})`);
    key = v;
  } else if (q.resultKeyFile) {
    const file = resolve(cwd, q.resultKeyFile);
    where = `queue.resultKeyFile: ${file}`;
    key = readKeyFile(file, where).replace(/[\r\n]+$/, '');
  } else {
    throw new Error(`queue: neither resultKeyEnv nor resultKeyFile is set: one must name the key workers sign results with (${HOW})`);
  }
  if (key.length < MIN_KEY_CHARS) throw new Error(`${where} holds a key shorter than ${MIN_KEY_CHARS} characters (${HOW})`);
  return Buffer.from(key, 'utf8');
}

function readKeyFile(file: string, where: string): string {
  let fd: number;
  try {
    // Non-blocking: a FIFO put there by mistake is refused below instead of hanging the start.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new Error(`${where} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): it should hold the key workers sign results with (${HOW})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`${where} is not a regular file`);
    const buf = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      n += got;
      if (got === 0 || n === buf.length) break;
    }
    if (n > MAX_KEY_FILE_BYTES) throw new Error(`${where} is larger than ${MAX_KEY_FILE_BYTES} bytes: it should hold only the key`);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
