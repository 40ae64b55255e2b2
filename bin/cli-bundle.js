// The CLI as one bundle of its TypeScript sources (esbuild), kept in node_modules/.cache and made again
// when any source it holds is newer: `aocbench` then starts in a fraction of the time tsx needs to compile
// the same sources on every start. Plain JavaScript: it runs before anything can compile TypeScript.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const ENTRY = 'runner/cli.ts';

/** The bundle's entry when it holds every source as it is now; else null. About 2 ms for 200 sources. */
function fresh(dir, root) {
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(join(dir, 'inputs.json'), 'utf8'));
    return inputs.every((f) => statSync(join(root, f)).mtimeMs < builtAt) ? join(dir, 'cli.js') : null;
  } catch {
    return null;
  }
}

/**
 * Each module keeps its own place: `import.meta.url` and `import.meta.dirname`
 * name the source file, not the bundle, so paths found beside a source (the
 * agent, the guest init, the migrations, the site) are the same either way.
 */
const sourcePaths = (root) => ({
  name: 'aocbench-source-paths',
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
      if (!args.path.startsWith(root) || args.path.includes(`${join(root, 'node_modules')}`)) return undefined;
      const text = await readFile(args.path, 'utf8');
      const contents = text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)).replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)));
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
});

/** The path of a bundle of the CLI that is up to date, built now if needed (about 0.2 s); null when it cannot be. */
export async function bundledCli(root) {
  const cache = join(root, 'node_modules', '.cache');
  const dir = join(cache, 'aocbench-cli');
  const ready = fresh(dir, root);
  if (ready) return ready;
  try {
    const { build } = await import('esbuild');
    mkdirSync(cache, { recursive: true });
    const tmp = mkdtempSync(join(cache, 'aocbench-cli-'));
    // Taken before any source is read: one saved during the build is newer, and the next start builds again.
    const builtAt = Date.now();
    const r = await build({
      absWorkingDir: root, entryPoints: [ENTRY], outdir: tmp, bundle: true, splitting: true, platform: 'node', format: 'esm', target: 'node20',
      // Pure-JavaScript packages are bundled too (Node then reads one file, not hundreds); these stay outside: native
      // code, packages that find their own files at run time (worker threads, the site), and the compilers.
      external: ['better-sqlite3', 'next', 'react', 'react-dom', 'ssh2', 'cpu-features', 'bullmq', 'ioredis', 'pino', 'thread-stream', 'tsx', 'esbuild'],
      // A bundled CommonJS package may require() Node's own modules: each output file gets a require of its own.
      banner: { js: "import { createRequire as aocbenchRequire } from 'node:module'; const require = aocbenchRequire(import.meta.url);" },
      metafile: true, logLevel: 'silent', plugins: [sourcePaths(root)],
    });
    // Its own sources only: a package changes with `npm install`, which empties node_modules/.cache.
    const inputs = Object.keys(r.metafile.inputs).filter((f) => !f.includes('node_modules/')).map((f) => relative(root, join(root, f)));
    writeFileSync(join(tmp, 'inputs.json'), JSON.stringify({ builtAt, inputs }));
    // Whole or not at all: another start building at the same time keeps its own, and one of the two stays.
    rmSync(`${dir}.old`, { recursive: true, force: true });
    try {
      renameSync(dir, `${dir}.old`);
    } catch {
      // no bundle yet
    }
    try {
      renameSync(tmp, dir);
    } catch {
      rmSync(tmp, { recursive: true, force: true });
    }
    return fresh(dir, root) ?? join(dir, 'cli.js');
  } catch {
    return null;
  }
}
