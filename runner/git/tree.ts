import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TreeEntry } from '../../lib/versions.ts';
import { gitClient } from './sync.ts';

/** Committed content of a checkout (HEAD), submodules included, readable by path. */
export class CommittedTree {
  private constructor(
    readonly entries: TreeEntry[],
    private readonly where: Map<string, { repo: string; id: string; mode: string }>,
  ) {}

  static async load(dir: string): Promise<CommittedTree> {
    const entries: TreeEntry[] = [];
    const where = new Map<string, { repo: string; id: string; mode: string }>();
    await walk(dir, '', entries, where);
    return new CommittedTree(entries, where);
  }

  has(path: string): boolean {
    return this.where.has(path);
  }

  /** Content of a committed regular file; null for missing files, links and submodules. */
  async read(path: string): Promise<string | null> {
    const w = this.where.get(path);
    if (!w || !w.mode.startsWith('100')) return null;
    return gitClient(w.repo).raw(['cat-file', 'blob', w.id]);
  }
}

async function walk(
  repo: string,
  prefix: string,
  entries: TreeEntry[],
  where: Map<string, { repo: string; id: string; mode: string }>,
): Promise<void> {
  const out = await gitClient(repo).raw(['ls-tree', '-r', '--full-tree', '-z', 'HEAD']);
  for (const rec of out.split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, type, id] = rec.slice(0, tab).split(' ');
    const rel = rec.slice(tab + 1);
    const path = prefix + rel;
    if (type === 'commit' && existsSync(join(repo, rel, '.git'))) {
      await walk(join(repo, rel), `${path}/`, entries, where);
      continue;
    }
    entries.push({ path, id });
    where.set(path, { repo, id, mode });
  }
}
