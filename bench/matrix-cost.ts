/**
 * Matrix wall time: the demo season (4 solvers × 5 days × up to 3 inputs)
 * with one container per (solver, day), against one container per run (the
 * baseline), both forced, interleaved, measured in the same run.
 */
import Docker from 'dockerode';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBusyboxImage } from '../runner/demo/busybox-image.ts';
import { DockerExecutor } from '../runner/executor/docker.ts';
import { DEMO_IMAGE, ensureDemoSeason } from '../runner/demo/season.ts';
import { matrix } from '../runner/cycle/matrix.ts';
import { Progress } from '../runner/report/progress.ts';

export async function matrixCost(): Promise<void> {
  const executor = new DockerExecutor(new Docker());
  await ensureBusyboxImage(executor, DEMO_IMAGE);
  const config = ensureDemoSeason(mkdtempSync(join(tmpdir(), 'aocbench-matrixbench-')));
  const quiet = new Progress(() => {});
  await matrix({ config, executor, progress: quiet }); // clone and warm up once
  const ours: number[] = [];
  const base: number[] = [];
  let cells = 0;
  let containers = [0, 0];
  for (let round = 0; round < 2; round++) {
    let t = performance.now();
    const a = await matrix({ config, executor, progress: quiet, force: true, noUpdate: true });
    ours.push(performance.now() - t);
    t = performance.now();
    const b = await matrix({ config, executor, progress: quiet, force: true, noUpdate: true, containerPerInput: true });
    base.push(performance.now() - t);
    cells = a.cells.length;
    containers = [a.containers, b.containers];
  }
  const best = (xs: number[]) => Math.min(...xs) / 1000;
  console.log(`## Input matrix wall time (${cells} cells, best of 2)`);
  console.log(`one container per (solver, day): ${best(ours).toFixed(1)} s in ${containers[0]} containers`);
  console.log(`one container per run (baseline): ${best(base).toFixed(1)} s in ${containers[1]} containers`);
  console.log(`ratio: ${(best(ours) / best(base)).toFixed(2)}×`);
}
