import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { printableLine } from '../../lib/printable.ts';
import { CONFIG_FILES, loadParticipantConfig, type LoadedConfig } from '../../lib/participant-config.ts';

/** Validates a checkout's `.aocbench.yaml` as it is on disk (for participants, before they push). */
export function validateDir(dir: string): LoadedConfig & { file: string | null } {
  const file = CONFIG_FILES.map((f) => join(dir, f)).find((f) => existsSync(f)) ?? null;
  const text = file ? readFileSync(file, 'utf8') : null;
  const loaded = loadParticipantConfig(text, { exists: (p) => existsSync(join(dir, p)) });
  return { ...loaded, file: file ? relative(process.cwd(), file) : null };
}

/** What `aocbench validate` prints: the state and one line per message (a file name or key in it made visible). */
export function validationReport(r: ReturnType<typeof validateDir>, dir: string): string {
  return `${printableLine(r.file ?? dir)}: ${r.validation.state}\n${r.validation.messages.map((m) => `  - ${printableLine(m)}`).join('\n')}\n`;
}
