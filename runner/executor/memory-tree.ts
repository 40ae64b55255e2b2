import { createHash } from 'node:crypto';
import type { TreeFile, TreeSource } from './types.ts';

/** Files held in memory as a committed tree: for images aocbench builds itself (the demo's). */
export function memoryTree(files: TreeFile[]): TreeSource {
  return {
    entries: files.map((f) => ({ path: f.path, id: createHash('sha1').update(f.data).digest('hex') })),
    files: async () => files,
    read: async (path) => files.find((f) => f.path === path)?.data.toString('utf8') ?? null,
  };
}
