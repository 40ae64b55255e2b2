import type { MeasureEnv } from '../lib/env.ts';
import type { RunUsage } from '../lib/usage.ts';
import type { Db } from './client.ts';
import { setHealth } from './queries/health.ts';
import { recordImage, recordRepoUpdate, setParticipantConfig, upsertParticipant } from './queries/participants.ts';
import { startCycle, finishCycle } from './queries/cycles.ts';
import { HISTORY_KEEP, sampleColumns } from './queries/results.ts';
import { and, eq } from 'drizzle-orm';
import { dayHistory, dayResults } from './schema.ts';

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
  /** Per sample: peak memory and CPU time (one per sample). */
  usage?: RunUsage[];
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
  const cycle = startCycle(db, { cpuModel: 'Seeded CPU', cores: 2, memoryBytes: 2 ** 34, kernel: 'seed', docker: 'seed', node: process.version }, now - 60_000);
  finishCycle(db, cycle, { containers: 0, daysRun: 0 }, now);
  participants.forEach((p, position) => {
    const repo = p.repo ?? `https://github.com/example/${p.name.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
    const id = upsertParticipant(db, { name: p.name, dirName: p.name.replace(/[^A-Za-z0-9_-]/g, ''), repo, position });
    setParticipantConfig(db, id, { config: { daypath: '%day%', cmd: './run' }, language: p.language ? [p.language] : [], state: 'ok', messages: ['Config is valid.'] });
    recordRepoUpdate(db, id, { ok: true, operation: 'update', failedStep: null, output: 'HEAD is 0123456789ab', head: '0123456789ab' });
    recordImage(db, id, { ok: true, kind: 'image', ref: 'seed:1', imageId: 'sha256:seed', built: false, log: '' });
    // Straight into the tables (not saveDayResult per row): a big synthetic season is seeded in seconds.
    const row = (r: SeedResult) => {
      const samples = r.samples ?? [];
      const runAt = r.runAt ?? now - (p.results.includes(r) ? 0 : 86_400_000);
      return {
        participantId: id, day: r.day, runAt, version: r.version ?? `seed:${r.day}`, inputVersion: 'seed', imageId: 'sha256:seed',
        status: r.status, failedStep: r.status === 'correct' ? null : 'check', exitCode: 0, inputSource: participants[0].name,
        ...sampleColumns(samples, r.usage ?? [], r.usage ? 'cgroup' : null), sampleCount: samples.length, checkMs: samples[0] ?? 1,
        env: JSON.stringify(r.env ?? { executor: 'docker', cpuModel: 'Seeded CPU', kernel: 'seed', imageId: 'sha256:seed' }),
        expected: JSON.stringify(r.expected ?? { part1: '42', part2: '4242' }), message: r.message ?? null,
        runonceOutput: null, checkOutput: r.checkOutput ?? 'Part 1: 42\nPart 2: 4242\n', durationMs: 1000,
      };
    };
    const days = [...new Set([...(p.history ?? []), ...p.results].map((r) => r.day))];
    for (const day of days) {
      // The last of a day's results is current; up to HISTORY_KEEP before it are its history, as saveDayResult keeps them.
      const seq = [...(p.history ?? []), ...p.results].filter((r) => r.day === day);
      const current = seq[seq.length - 1];
      const past = seq.slice(0, -1).slice(-HISTORY_KEEP).map(row);
      for (let i = 0; i < past.length; i += 200) db.insert(dayHistory).values(past.slice(i, i + 200)).run();
      db.delete(dayResults).where(and(eq(dayResults.participantId, id), eq(dayResults.day, day))).run();
      db.insert(dayResults).values(row(current)).run();
      setHealth(db, id, day, 'day', 'ok', 'Present.', JSON.stringify({ exists: true, hasInput: true, hasPart1: true, hasPart2: true }));
      setHealth(db, id, day, 'run', current.status === 'correct' ? 'ok' : 'error', current.message ?? current.status, current.checkOutput ?? null);
    }
  });
}

/** Deterministic pseudo-noise around `base`: n samples within +10%. */
function samplesAround(base: number, n: number, k: number): number[] {
  return Array.from({ length: n }, (_, i) => base * (1 + (((i * 7919 + k) % 97) / 970)));
}

/**
 * A synthetic season for trying the pages or load-testing them in seconds
 * (`aocbench seed`, bench/web-render.ts): every participant has every day,
 * one in seventeen wrong, and `history` previous results per day.
 */
export function syntheticSeason(opts: { participants: number; days: number; history: number; now?: number }): SeedParticipant[] {
  const now = opts.now ?? Date.now();
  const width = String(opts.participants).length;
  return Array.from({ length: opts.participants }, (_, p) => ({
    name: `Participant ${String(p + 1).padStart(Math.max(3, width), '0')}`,
    language: ['Rust', 'Go', 'Python', 'C++', 'PHP'][p % 5],
    results: Array.from({ length: opts.days }, (_, d) => {
      const samples = samplesAround(1 + ((p * 31 + d * 17) % 500), 20, p + d);
      const kb = 1024 * (1 + ((p * 13 + d * 7) % 300));
      return { day: d + 1, status: (p + d) % 17 === 0 ? 'wrong' : 'correct', samples, usage: samples.map((ms, i) => ({ peakKb: kb + ((i * 37) % 64), userMs: ms * 0.95, sysMs: ms * 0.04 })) };
    }),
    history: Array.from({ length: opts.history * opts.days }, (_, i) => ({
      day: (i % opts.days) + 1, status: 'correct', samples: samplesAround(2 + ((p + i) % 400), 20, i), runAt: now - (opts.history * opts.days - i) * 3_600_000, version: `v${i}`,
    })),
  }));
}
