import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './git-repo.ts';

/**
 * A result-signing key in a file of its own, as `queue.resultKeyFile` names it:
 * every process given the same config (coordinator, workers) holds the same key.
 * It ends in a newline, as `openssl rand -hex 32 > key` writes it.
 */
export function resultKeyFile(): string {
  const file = join(tempDir('aocbench-key-'), 'result.key');
  writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  return file;
}
