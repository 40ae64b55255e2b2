import { spawn } from 'node:child_process';
import { gitEnv } from './sync.ts';

/**
 * The content of many blobs from one `git cat-file --batch` process: one
 * spawn per file would cost seconds for a repository of a few thousand files.
 */
export function readBlobs(repo: string, ids: string[]): Promise<Map<string, Buffer>> {
  const want = [...new Set(ids)];
  if (!want.length) return Promise.resolve(new Map());
  return new Promise((resolve, reject) => {
    const p = spawn('git', ['cat-file', '--batch'], { cwd: repo, env: gitEnv() as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] as const });
    const chunks: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (c: Buffer) => chunks.push(c));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('error', reject);
    p.on('close', (code: number | null) => {
      if (code !== 0) return reject(new Error(`git cat-file --batch failed (${code}): ${err.trim()}`));
      const out = Buffer.concat(chunks);
      const blobs = new Map<string, Buffer>();
      let at = 0;
      for (const id of want) {
        const nl = out.indexOf(10, at);
        if (nl < 0) return reject(new Error('git cat-file --batch: output ended early'));
        const [oid, type, size] = out.subarray(at, nl).toString().split(' ');
        if (type === 'missing' || oid !== id) return reject(new Error(`git cat-file --batch: object ${id} is missing`));
        const n = Number(size);
        blobs.set(id, out.subarray(nl + 1, nl + 1 + n));
        at = nl + 1 + n + 1; // content, then a newline
      }
      resolve(blobs);
    });
    p.stdin.end(`${want.join('\n')}\n`);
  });
}
