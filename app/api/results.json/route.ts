import { exportResponse } from '../../_lib/export-response.ts';

export const dynamic = 'force-dynamic';

/** Everything, with every sample and the history (app/_lib/results-file.ts). Smaller pieces: /api/participants/NAME and /api/days/N. */
export const GET = exportResponse;
