/** `npm run bench`: benchmarks of aocbench itself; prints numbers and ratios measured in this run. */
import { containerCost } from './container-cost.ts';
import { timingOverhead } from './timing-overhead.ts';

await timingOverhead();
console.log();
await containerCost();
