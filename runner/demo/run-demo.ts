import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { daemon } from '../cycle/daemon.ts';
import { bench } from '../cycle/bench.ts';
import { DockerExecutor } from '../executor/docker.ts';
import { matrix } from '../cycle/matrix.ts';
import { summaryTable } from '../report/summary-table.ts';
import { ensureBusyboxImage } from './busybox-image.ts';
import { DEMO_IMAGE, ensureDemoSeason } from './season.ts';

const ROOT = join(import.meta.dirname, '../..');

/** `aocbench demo`: a demo season of four participants, benchmarked for real in Docker. */
export async function runDemo(root = resolve('data/demo')): Promise<string> {
  const executor = new DockerExecutor();
  const problem = await executor.unavailable();
  if (problem) throw new Error(problem);
  await ensureBusyboxImage(executor, DEMO_IMAGE);
  const config = ensureDemoSeason(root);
  process.stderr.write(`demo season: ${config}\n`);
  const summary = await bench({ config, executor });
  process.stdout.write(summaryTable(summary));
  const m = await matrix({ config, executor, noUpdate: true });
  process.stdout.write(`input matrix: ${m.cells.length} cell(s) run in ${m.containers} container(s), ${m.skipped} unchanged\n`);
  return config;
}

/**
 * The demo's site with everything working: the site on $PORT (built first if
 * it was not) and a daemon beside it, so a re-run queued on /admin or with
 * `aocbench trigger` happens. Ctrl-C stops both.
 */
export async function serveDemo(config: string): Promise<void> {
  const port = process.env.PORT ?? '3000';
  // The demo is a local try-out: without a password of the operator's, /admin takes "demo".
  const password = process.env.AOCBENCH_ADMIN_PASSWORD ?? 'demo';
  // `aocbench web` builds the site first if there is no build yet.
  const site = spawn(process.execPath, [join(ROOT, 'bin', 'aocbench.js'), 'web', '-p', port], { stdio: 'inherit', env: { ...process.env, AOCBENCH_CONFIG: config, AOCBENCH_ADMIN_PASSWORD: password } });
  process.once('exit', () => site.kill());
  site.once('exit', (code) => {
    process.stderr.write(`the site stopped (${code})\n`);
    process.exit(code ?? 1);
  });
  process.stderr.write(`site: http://localhost:${port} · /admin password: ${process.env.AOCBENCH_ADMIN_PASSWORD ? '$AOCBENCH_ADMIN_PASSWORD' : 'demo'} · a daemon runs what you queue there\n`);
  await daemon({ config });
}
