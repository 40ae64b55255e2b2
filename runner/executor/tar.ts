import { pack } from 'tar-stream';
import type { TreeFile } from './types.ts';

/** A tar archive of files and links, for Docker's build context and archive uploads. */
export async function tarOf(files: TreeFile[]): Promise<Buffer> {
  const p = pack();
  for (const f of files) {
    if (f.kind === 'link') p.entry({ name: f.path, type: 'symlink', linkname: f.data.toString('utf8'), mode: 0o777 });
    else p.entry({ name: f.path, mode: f.mode, size: f.data.length }, f.data);
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
