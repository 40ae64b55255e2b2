/**
 * Issue 21: the site on a board of 1,000 and 10,000 participants × 25 days ×
 * 10 previous results (`aocbench seed`, which stores the board's ranking as a
 * cycle does), served by `aocbench web`. For each size: every page's first
 * render after a restart and its size (goal ≤ 1 s at 1,000, ≤ 3 s at 10,000;
 * ≤ 300 KB); at the first size also 64 concurrent clients of
 * /api/results.json and the web process's RSS after (goal: all complete,
 * < 500 MB), 5,000 distinct unknown query values against 5,000 cached views,
 * and 300 distinct name searches against 300 views of `/` (goal ≤ 10×).
 *
 * `npm run bench -- site` ($SITE_PARTICIPANTS, default "1000"; "1000 10000"
 * for both: seeding 10,000 takes about seven minutes).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort, waitFor } from './support.ts';

const DIST = process.env.NEXT_DIST_DIR ?? '.next';
const PAGES = ['/', '/?page=7', '/health', '/health?bad', '/rankings', '/rankings/3', '/days/3', '/memory', '/matrix', '/hardware'];

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One GET as a browser makes it (gzip accepted, not unpacked): milliseconds and bytes on the wire, and unpacked size by a second plain read. */
function fetchTimed(url: string, gzip = true): Promise<{ ms: number; bytes: number; status: number }> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    get(url, { agent, headers: gzip ? { 'accept-encoding': 'gzip' } : {} }, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => (bytes += d.length));
      res.on('end', () => resolve({ ms: performance.now() - t, bytes, status: res.statusCode ?? 0 }));
    }).on('error', reject);
  });
}

function rssMb(pid: number): number {
  // The web process and the Next.js workers it starts (own process group).
  const out = execFileSync('ps', ['-o', 'rss=', '-g', String(pid)], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).reduce((a, l) => a + Number(l), 0) / 1024;
}

async function startWeb(config: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/aocbench.js', 'web', '-p', String(port), '-H', '127.0.0.1'], {
    env: { ...process.env, NEXT_DIST_DIR: DIST, AOCBENCH_CONFIG: config }, stdio: 'ignore', detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  // Up when it answers a page that reads nothing of the board.
  await waitFor(async () => (await fetch(`${url}/api/status`).catch(() => null))?.ok ?? false, 60_000);
  return { url, child };
}

function stopWeb(child: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    child.once('exit', () => ok());
    process.kill(-child.pid!, 'SIGTERM');
  });
}

async function seeded(n: number): Promise<{ dir: string; config: string; seedS: number; name: string }> {
  const dir = mkdtempSync(join(tmpdir(), `aocbench-site-${n}-`));
  const config = join(dir, 'aocbench.yaml');
  writeFileSync(config, stringify({ year: 2024, days: 25, podium: true, dataDir: join(dir, 'data'), participants: [] }));
  const t = performance.now();
  execFileSync(process.execPath, ['bin/aocbench.js', 'seed', '-c', config, '--participants', String(n), '--days', '25', '--history', '10'], { stdio: 'ignore' });
  const width = String(n).length;
  return { dir, config, seedS: (performance.now() - t) / 1000, name: encodeURIComponent(`Participant ${'1'.padStart(width, '0')}`) };
}

async function many(url: (i: number) => string, n: number, concurrency = 8): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await fetchTimed(url(next++));
  }));
  return performance.now() - t;
}

export async function siteScale(): Promise<void> {
  if (!existsSync(join(DIST, 'BUILD_ID'))) {
    console.log(`building the app into ${DIST} …`);
    execFileSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], { env: { ...process.env, NEXT_DIST_DIR: DIST }, stdio: 'ignore' });
  }
  const sizes = (process.env.SITE_PARTICIPANTS ?? '1000').split(/[ ,]+/).filter(Boolean).map(Number);
  for (const [index, n] of sizes.entries()) {
    const inst = await seeded(n);
    const pages = [...PAGES, `/participants/${inst.name}`, `/health/${inst.name}`, `/?around=${inst.name}`, '/?q=042'];
    try {
      // First process: every page viewed once (what a running site has done before it is restarted).
      let web = await startWeb(inst.config);
      for (const p of pages) await fetchTimed(web.url + p);
      await stopWeb(web.child);
      web = await startWeb(inst.config);
      console.log(`## The site at ${n.toLocaleString('en')} participants × 25 days × 10 previous results (seeded in ${inst.seedS.toFixed(0)} s): first render after a restart`);
      console.log(`| page | first view after restart | HTML (unpacked) | cached view, on the wire (gzip) | goal ≤ ${n >= 10_000 ? 3 : 1} s, ≤ 300 KB |`);
      console.log('|---|---|---|---|---|');
      for (const p of pages) {
        const first = await fetchTimed(web.url + p);
        const plain = await fetchTimed(web.url + p, false);
        const wire = await fetchTimed(web.url + p);
        const ok = first.ms <= (n >= 10_000 ? 3000 : 1000) && plain.bytes <= 300 * 1024;
        console.log(`| ${p} | ${(first.ms / 1000).toFixed(2)} s | ${(plain.bytes / 1024).toFixed(0)} KB | ${(wire.bytes / 1024).toFixed(0)} KB | ${ok ? 'met' : 'NOT met'} |`);
      }
      console.log(`web RSS after the tour: ${rssMb(web.child.pid!).toFixed(0)} MB`);
      if (index === 0) {
        const clients = await Promise.allSettled(Array.from({ length: 64 }, () => fetchTimed(`${web.url}/api/results.json`)));
        const done = clients.filter((c) => c.status === 'fulfilled' && c.value.status === 200).length;
        console.log(`/api/results.json, 64 concurrent clients: ${done} of 64 complete; web RSS after: ${rssMb(web.child.pid!).toFixed(0)} MB (goal: all, < 500 MB)`);
        await fetchTimed(`${web.url}/`);
        const hits = await many(() => `${web.url}/`, 5000);
        const unknown = await many((i) => `${web.url}/?utm=${i}`, 5000);
        console.log(`5,000 views of / (cached): ${(hits / 1000).toFixed(1)} s; 5,000 distinct unknown query values: ${(unknown / 1000).toFixed(1)} s (${(unknown / hits).toFixed(2)}×, goal ≤ 1×, within noise)`);
        const views = await many(() => `${web.url}/`, 300);
        const term = (i: number) => String(i * 7).padStart(3, '0');
        const searches = await many((i) => `${web.url}/api/search?q=${term(i)}`, 300);
        const pages = await many((i) => `${web.url}/?q=${term(i + 1000)}`, 300);
        console.log(
          `300 name searches as one types (/api/search): ${(searches / 1000).toFixed(2)} s; 300 views of /: ${(views / 1000).toFixed(2)} s (${(searches / views).toFixed(1)}×, goal ≤ 10×); ` +
            `300 searches submitted as pages (/?q=, rendered): ${(pages / 1000).toFixed(2)} s (${(pages / views).toFixed(0)}×)`,
        );
        console.log(`web RSS at the end: ${rssMb(web.child.pid!).toFixed(0)} MB`);
      }
      await stopWeb(web.child);
    } finally {
      if (process.env.SITE_KEEP !== '1') rmSync(inst.dir, { recursive: true, force: true });
      else console.log(`kept ${inst.config}`);
    }
  }
}
