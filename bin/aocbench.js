#!/usr/bin/env node
// The CLI is TypeScript: run from a bundle of its sources that is remade when a source changes
// (bin/cli-bundle.js), or through tsx when no bundle can be made (a read-only install).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledCli } from './cli-bundle.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = process.env.AOCBENCH_NO_BUNDLE ? null : await bundledCli(root);
if (bundle) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../runner/cli.ts');
}
