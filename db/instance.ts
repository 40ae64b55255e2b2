import { readFileSync } from 'node:fs';
import { ConfigError, instanceFile } from '../lib/instance-config.ts';
import { resolveInstance, type LoadedInstance } from '../lib/seasons.ts';

export { DEFAULT_CONFIG } from '../lib/instance-config.ts';
export type { LoadedInstance } from '../lib/seasons.ts';

/**
 * The instance the runner and the site both open, read one way:
 * `--config`, else `AOCBENCH_CONFIG`, else config/aocbench.yaml; relative
 * dirs resolve against the working directory.
 */
export function loadInstance(file?: string, season?: number): LoadedInstance {
  const path = instanceFile(file, process.env, process.cwd());
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(path, [`cannot read the file: ${(e as Error).message}`]);
  }
  return resolveInstance(text, path, process.cwd(), season);
}
