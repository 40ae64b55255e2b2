import { exportResponse } from '../../../_lib/export-response.ts';

export const dynamic = 'force-dynamic';

/** AoCBench's `results.json` (`/raw.json`, `/results.json`), for consumers written against AoCBench (app/_lib/results-file.ts). */
export const GET = exportResponse;
