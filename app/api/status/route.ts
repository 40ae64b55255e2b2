import { queueState } from '../../../db/queries/jobs.ts';
import { lastRunner } from '../../../db/queries/runners.ts';
import { dataVersion, lastUpdate } from '../../../db/queries/views.ts';
import { db } from '../../_lib/data.ts';

export const dynamic = 'force-dynamic';

/** Live status for the banner and the leaderboard's refresh: `version` changes when the runner commits. */
export function GET() {
  const q = queueState(db());
  return Response.json({
    version: `${dataVersion(db())}:${lastUpdate(db()) ?? 0}`,
    running: q.running ? { id: q.running.id, kind: q.running.kind, since: q.running.startedAt, progress: q.running.progress, participant: q.running.participant } : null,
    queued: q.queued,
    oldestQueuedAt: q.oldestQueuedAt,
    runner: lastRunner(db()),
  });
}
