import type { Db } from '../../db/client.ts';
import { listParticipants } from '../../db/queries/participants.ts';
import { listDayResults } from '../../db/queries/results.ts';
import { listMatrixCells } from '../../db/queries/matrix.ts';
import { parseEnv, type MeasureEnv } from '../../lib/env.ts';

export interface ResultsJson {
  /** day → solver → input name → verdict */
  matrix: Record<string, Record<string, Record<string, string>>>;
  participants: Array<{
    name: string;
    language: string | null;
    days: Record<string, {
      status: string;
      medianMs: number | null;
      samples: number;
      /** Why the timed runs stopped: fixed, target, run cap or time budget; null before adaptive run counts (or when a run failed). */
      stopReason: string | null;
      version: string;
      minMs: number | null;
      maxMs: number | null;
      ciLowMs: number | null;
      ciHighMs: number | null;
      /** Median peak memory of the run's whole process tree (KiB), and median user and system CPU time; null when not measured. */
      peakMemoryKb: number | null;
      userMs: number | null;
      sysMs: number | null;
      /** cgroup: the whole process tree's peak; rusage: the largest single process's (no memory cgroup to read). */
      memoryMeter: string | null;
      inputSource: string | null;
      runAt: string;
      /** Where it was measured: executor, accelerator, pinned CPUs, memory locked, CPU model, kernel, image id. */
      env: MeasureEnv | null;
    }>;
  }>;
}

export function resultsJson(db: Db): ResultsJson {
  const results = listDayResults(db);
  const names = new Map(listParticipants(db).map((p) => [p.id, p.name]));
  const matrix: ResultsJson['matrix'] = {};
  for (const c of listMatrixCells(db)) {
    const solver = names.get(c.solverId) ?? String(c.solverId);
    ((matrix[String(c.day)] ??= {})[solver] ??= {})[c.input] = c.status;
  }
  return {
    matrix,
    participants: listParticipants(db).map((p) => ({
      name: p.name,
      language: p.language,
      days: Object.fromEntries(
        results
          .filter((r) => r.participantId === p.id)
          .map((r) => [
            String(r.day),
            {
              status: r.status,
              medianMs: r.medianMs,
              samples: r.sampleCount,
              stopReason: r.stopReason,
              version: r.version,
              minMs: r.minMs,
              maxMs: r.maxMs,
              ciLowMs: r.ciLowMs,
              ciHighMs: r.ciHighMs,
              peakMemoryKb: r.peakMemoryKb,
              userMs: r.userMs,
              sysMs: r.sysMs,
              memoryMeter: r.memoryMeter,
              inputSource: r.inputSource,
              runAt: new Date(r.runAt).toISOString(),
              env: parseEnv(r.env),
            },
          ]),
      ),
    })),
  };
}
