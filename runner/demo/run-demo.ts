import { resolve } from 'node:path';
import { bench } from '../bench.ts';
import { DockerExecutor } from '../executor/docker.ts';
import { matrix } from '../matrix.ts';
import { summaryTable } from '../summary-table.ts';
import { ensureBusyboxImage } from './busybox-image.ts';
import { DEMO_IMAGE, ensureDemoSeason } from './season.ts';

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
