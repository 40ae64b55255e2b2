// The CLI as one bundle of its TypeScript sources (esbuild), kept in node_modules/.cache and made again
// when any source it holds is newer: `aocbench` then starts in a fraction of the time tsx needs to compile
// the same sources on every start. Plain JavaScript: it runs before anything can compile TypeScript.
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const ENTRY = 'runner/cli.ts';
/** Builds older than this, other than the current one, are removed (a daemon started from one still has its files for a day). */
const KEEP_MS = 24 * 3600 * 1000;

/** The current bundle's entry when it holds every source as it is now; else null. About 2 ms for 200 sources. */
function fresh(cache, root) {
  try {
    const { dir, builtAt, inputs } = JSON.parse(readFileSync(join(cache, 'current.json'), 'utf8'));
    return inputs.every((f) => statSync(join(root, f)).mtimeMs < builtAt) ? join(cache, dir, 'cli.js') : null;
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

/**
 * The path of a bundle of the CLI that is up to date, built now if needed
 * (about 0.2 s); null when it cannot be. Each build has a folder of its own
 * and `current.json` names the newest: a running process (a daemon) keeps
 * loading its later chunks from the build it started with.
 */
export async function bundledCli(root) {
  const cache = join(root, 'node_modules', '.cache', 'aocbench-cli');
  const ready = fresh(cache, root);
  if (ready) return ready;
  try {
    const { build } = await import('esbuild');
    // Taken before any source is read: one saved during the build is newer, and the next start builds again.
    const builtAt = Date.now();
    const dir = `b-${builtAt}-${process.pid}`;
    const r = await build({
      absWorkingDir: root, entryPoints: [ENTRY], outdir: join(cache, dir), bundle: true, splitting: true, platform: 'node', format: 'esm', target: 'node20',
      // Pure-JavaScript packages are bundled too (Node then reads one file, not hundreds); these stay outside: native
      // code, packages that find their own files at run time (worker threads, the site), and the compilers.
      external: ['better-sqlite3', 'next', 'react', 'react-dom', 'ssh2', 'cpu-features', 'bullmq', 'ioredis', 'pino', 'thread-stream', 'tsx', 'esbuild'],
      // A bundled CommonJS package may require() Node's own modules: each output file gets a require of its own.
      banner: { js: "import { createRequire as aocbenchRequire } from 'node:module'; const require = aocbenchRequire(import.meta.url);" },
      metafile: true, logLevel: 'silent', plugins: [sourcePaths(root)],
    });
    // Its own sources only: a package changes with `npm install`, which empties node_modules/.cache.
    const inputs = Object.keys(r.metafile.inputs).filter((f) => !f.includes('node_modules/')).map((f) => relative(root, join(root, f)));
    // Named whole or not at all: a start at the same moment reads the old name or the new one.
    const tmp = join(cache, `current.${process.pid}.json`);
    writeFileSync(tmp, JSON.stringify({ dir, builtAt, inputs }));
    renameSync(tmp, join(cache, 'current.json'));
    for (const old of readdirSync(cache)) {
      const at = Number(/^b-(\d+)-/.exec(old)?.[1]);
      if (old !== dir && at && at < builtAt - KEEP_MS) rmSync(join(cache, old), { recursive: true, force: true });
    }
    return join(cache, dir, 'cli.js');
  } catch {
    return null;
  }
}
