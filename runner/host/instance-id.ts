import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ID = /^[0-9a-f]{12}$/;
const known = new Map<string, string>();

/**
 * The label of a data dir's sandboxes and persistence volumes: a start-up
 * sweep removes only its own leftovers. Kept in `<dataDir>/instance-id`, not
 * derived from the path: two workers in containers on one host both use
 * /srv/aocbench/data, and would otherwise remove each other's sandboxes and
 * share persistence volumes. A data dir from before this file keeps the hash
 * of its path, so its volumes and leftovers are still its own.
 */
export function instanceLabel(dataDir: string): string {
  const cached = known.get(dataDir);
  if (cached) return cached;
  const file = join(dataDir, 'instance-id');
  let id = read(file);
  if (!id) {
    const used = existsSync(dataDir) && readdirSync(dataDir).length > 0;
    const fresh = used ? createHash('sha256').update(dataDir).digest('hex').slice(0, 12) : randomBytes(6).toString('hex');
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, `${fresh}\n`, { flag: 'wx' });
      id = fresh;
    } catch {
      // Another process of this data dir wrote it first: its id it is.
      id = read(file) ?? fresh;
    }
  }
  known.set(dataDir, id);
  return id;
}

function read(file: string): string | null {
  try {
    const id = readFileSync(file, 'utf8').trim();
    return ID.test(id) ? id : null;
  } catch {
    return null;
  }
}
