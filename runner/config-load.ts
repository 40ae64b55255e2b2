import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, parseInstanceConfig, type InstanceConfig } from '../lib/instance-config.ts';

export const DEFAULT_CONFIG = 'config/aocbench.yaml';

export interface LoadedInstance {
  file: string;
  config: InstanceConfig;
  dataDir: string;
  inputsDir: string;
}

/** `--config`, else `AOCBENCH_CONFIG`, else config/aocbench.yaml; relative dirs resolve against the working directory. */
export function loadInstance(file?: string): LoadedInstance {
  const path = resolve(/*turbopackIgnore: true*/ file ?? process.env.AOCBENCH_CONFIG ?? DEFAULT_CONFIG);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(path, [`cannot read the file: ${(e as Error).message}`]);
  }
  const config = parseInstanceConfig(text, path);
  return { file: path, config, dataDir: resolve(/*turbopackIgnore: true*/ config.dataDir), inputsDir: resolve(/*turbopackIgnore: true*/ config.inputsDir) };
}
