import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/fixtures/hog.c built static: a solution whose memory and CPU time are known (alloc MB, fork N MB, spin MS [threads]). */
export function buildHog(): Buffer {
  const out = join(mkdtempSync(join(tmpdir(), 'aocbench-hog-')), 'hog');
  const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'hog.c');
  execFileSync('cc', ['-static', '-O2', '-pthread', '-o', out, src], { stdio: 'pipe' });
  return readFileSync(out);
}
