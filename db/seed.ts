import type { MeasureEnv } from '../lib/env.ts';
import { computeStats } from '../lib/stats.ts';
import type { Db } from './client.ts';
import { setHealth } from './queries/health.ts';
import { recordImage, recordRepoUpdate, setParticipantConfig, upsertParticipant } from './queries/participants.ts';
import { saveDayResult } from './queries/results.ts';
import { cycles } from './schema.ts';

/** Synthetic results for browser tests and page benchmarks; no Docker, no git. */
export interface SeedResult {
  day: number;
  status: string;
  samples?: number[];
  message?: string;
  checkOutput?: string;
  expected?: { part1: string | null; part2: string | null };
  runAt?: number;
  version?: string;
  /** Where it was measured; by default a Docker container on the seeded CPU. */
  env?: MeasureEnv;
}

export interface SeedParticipant {
  name: string;
  language?: string;
  repo?: string;
  results: SeedResult[];
  /** Older results per day, oldest first; each becomes history when the next is saved. */
  history?: SeedResult[];
}

export function seed(db: Db, participants: SeedParticipant[], now = Date.now()): void {
  db.insert(cycles).values({ startedAt: now - 60_000, finishedAt: now, containers: 0, daysRun: 0, hardware: JSON.stringify({ cpuModel: 'Seeded CPU', cores: 2, memoryBytes: 2 ** 34, kernel: 'seed', docker: 'seed', node: process.version }) }).run();
  participants.forEach((p, position) => {
    const repo = p.repo ?? `https://github.com/example/${p.name.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
    const id = upsertParticipant(db, { name: p.name, dirName: p.name.replace(/[^A-Za-z0-9_-]/g, ''), repo, position });
    setParticipantConfig(db, id, { config: { daypath: '%day%', cmd: './run' }, language: p.language ? [p.language] : [], state: 'ok', messages: ['Config is valid.'] });
    recordRepoUpdate(db, id, { ok: true, operation: 'update', failedStep: null, output: 'HEAD is 0123456789ab', head: '0123456789ab' });
    recordImage(db, id, { ok: true, kind: 'image', ref: 'seed:1', imageId: 'sha256:seed', built: false, log: '' });
    for (const r of [...(p.history ?? []), ...p.results]) {
      const samples = r.samples ?? [];
      const s = computeStats(samples);
      const runAt = r.runAt ?? now - (p.results.includes(r) ? 0 : 86_400_000);
      saveDayResult(db, {
        participantId: id, day: r.day, runAt, version: r.version ?? `seed:${r.day}`, inputVersion: 'seed', imageId: 'sha256:seed',
        status: r.status, failedStep: r.status === 'correct' ? null : 'check', exitCode: 0, inputSource: participants[0].name,
        samples: JSON.stringify(samples), medianMs: s?.median ?? null, meanMs: s?.mean ?? null, minMs: s?.min ?? null, maxMs: s?.max ?? null,
        stddevMs: s?.stddev ?? null, ciLowMs: s?.ciLow ?? null, ciHighMs: s?.ciHigh ?? null, checkMs: samples[0] ?? 1,
        env: JSON.stringify(r.env ?? { executor: 'docker', cpuModel: 'Seeded CPU', kernel: 'seed', imageId: 'sha256:seed' }),
        expected: JSON.stringify(r.expected ?? { part1: '42', part2: '4242' }), message: r.message ?? null,
        runonceOutput: null, checkOutput: r.checkOutput ?? 'Part 1: 42\nPart 2: 4242\n', durationMs: 1000,
      });
      setHealth(db, id, r.day, 'day', 'ok', 'Present.', JSON.stringify({ exists: true, hasInput: true, hasPart1: true, hasPart2: true }));
      setHealth(db, id, r.day, 'run', r.status === 'correct' ? 'ok' : 'error', r.message ?? r.status, r.checkOutput ?? null);
    }
  });
}
