/** `npm run bench`: benchmarks of aocbench itself; prints numbers and ratios measured in this run. */
import { containerCost } from './container-cost.ts';
import { fidelity } from './fidelity.ts';
import { fragmentation } from './fragmentation.ts';
import { matrixCost } from './matrix-cost.ts';
import { scale } from './scale.ts';
import { season } from './season.ts';
import { siteScale } from './site-scale.ts';
import { pushLatency } from './push-latency.ts';
import { queueWorkers } from './queue-workers.ts';
import { timingOverhead } from './timing-overhead.ts';
import { webRender } from './web-render.ts';
import { runState } from './run-state.ts';

const only = process.argv[2];
if (!only || only === 'timing') await timingOverhead();
if (!only || only === 'fidelity') await fidelity();
if (!only || only === 'containers') await containerCost();
if (!only || only === 'matrix') await matrixCost();
if (!only || only === 'web') await webRender();
if (!only || only === 'site') await siteScale();
if (!only || only === 'push') await pushLatency();
if (!only || only === 'fragmentation') await fragmentation();
if (!only || only === 'season') await season();
if (!only || only === 'workers') await queueWorkers();
if (only === 'scale') await scale();
if (!only || only === 'state') await runState();
