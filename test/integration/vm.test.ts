/**
 * A small season under `executor: vm` (software emulation here: no usable
 * KVM), with the verdicts the same season gets under Docker: right and wrong
 * answers, a timeout, out of memory inside the guest, no network, and
 * runonce writing into a persistence dir.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listParticipants } from '../../db/queries/participants.ts';
import { listDayResults, type DayResultRow } from '../../db/queries/results.ts';
import { bench } from '../../runner/cycle/bench.ts';
import { findKernel } from '../../runner/executor/vm/kernel.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { quietProgress, withDb, writeInstance } from '../helpers/instance.ts';

const SUM = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }';
const DAYS: Record<number, string> = {
  1: `awk '${SUM}' "$1"`,
  2: `awk '{ s += $1 } END { print s + 1; print NR }' "$1"`,
  3: 'sleep 30',
  4: `awk 'BEGIN { s = "xxxxxxxxxxxxxxxx"; while (1) s = s s }'`,
  // Right only where the sole network interface is loopback.
  5: `[ "$(ls /sys/class/net)" = lo ] && awk '${SUM}' "$1"`,
};
const EXPECTED: Record<number, string> = { 1: 'correct', 2: 'wrong', 3: 'timeout', 4: 'oom', 5: 'correct' };

let vm: Record<number, DayResultRow>;
let docker: Record<number, DayResultRow>;
let vmConfig: string;

async function season(executor: 'docker' | 'vm'): Promise<{ results: Record<number, DayResultRow>; config: string }> {
  const base = tempDir();
  const repo = makeRepo({
    '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\npersistence: [/cache]\nrunonce: echo %day% >> /cache/days && cat /cache/days\ncmd: sh %day%/sol.sh %input%\n`,
    ...Object.fromEntries(Object.entries(DAYS).flatMap(([d, sol]) => [[`${d}/sol.sh`, `${sol}\n`], [`${d}/input.txt`, '1\n2\n3\n'], [`${d}/answers.txt`, '6\n3\n']])),
  }, base);
  const config = writeInstance(base, {
    year: 2024, days: 5, executor, vm: { accel: 'tcg' },
    repeat: { runs: 2, warmup: 0, timeoutSec: 8 },
    limits: { memoryMb: 96, pids: 64, outputKb: 64, diskMb: 256 },
    participants: [{ name: 'alice', repo: repo.url }],
  });
  await bench({ config, progress: quietProgress() });
  const results = withDb(base, (db) => {
    const id = listParticipants(db)[0].id;
    return Object.fromEntries(listDayResults(db, [id]).map((r) => [r.day, r]));
  });
  return { results, config };
}

beforeAll(async () => {
  if (!findKernel({}, '/nonexistent')) throw new Error('no guest kernel: .ci/run unpacks Debian\'s linux-image-cloud-amd64 into /usr/local/share/aocbench/kernel');
  ({ results: vm, config: vmConfig } = await season('vm'));
  ({ results: docker } = await season('docker'));
}, 900_000);

describe('the VM executor', () => {
  it('gives every day the verdict Docker gives it', () => {
    for (const day of [1, 2, 3, 4, 5]) {
      expect(vm[day].status, `day ${day} in the VM`).toBe(EXPECTED[day]);
      expect(docker[day].status, `day ${day} in Docker`).toBe(EXPECTED[day]);
      expect(vm[day].failedStep, `day ${day}`).toBe(docker[day].failedStep);
    }
  });

  it('times the runs inside the guest and stores the samples, with the environment they were measured in', () => {
    expect(vm[1].sampleCount).toBe(2);
    expect(vm[1].medianMs).toBeGreaterThan(0);
    expect(JSON.parse(vm[1].env!)).toMatchObject({ executor: 'vm', accel: 'tcg', memoryLocked: true, cpuModel: expect.any(String), guestKernel: expect.stringMatching(/cloud-amd64/) });
    expect(JSON.parse(docker[1].env!)).toMatchObject({ executor: 'docker' });
  });

  it('measures every correct day\'s peak memory and CPU time in both executors, and `results --json` carries them', () => {
    for (const [kind, rows] of [['vm', vm], ['docker', docker]] as const) {
      for (const r of Object.values(rows).filter((x) => x.status === 'correct')) {
        expect(r.memoryMeter, `${kind} day ${r.day}`).toBe('cgroup');
        expect(r.peakMemoryKb, `${kind} day ${r.day}`).toBeGreaterThanOrEqual(0);
        expect(r.userMs! + r.sysMs!, `${kind} day ${r.day}`).toBeGreaterThan(0);
      }
    }
    const json = JSON.parse(spawnSync(process.execPath, [join(import.meta.dirname, '../../bin/aocbench.js'), 'results', '--json', '--config', vmConfig], { encoding: 'utf8', timeout: 60_000 }).stdout);
    const day1 = json.participants[0].days['1'];
    expect(day1).toMatchObject({ status: 'correct', peakMemoryKb: expect.any(Number), userMs: expect.any(Number), sysMs: expect.any(Number), memoryMeter: 'cgroup' });
  });

  it('`aocbench shell` opens a shell in the day\'s guest: its code copy, its input, no network', () => {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, '../../bin/aocbench.js'), 'shell', '--config', vmConfig, '-p', 'alice', '-d', '1'], {
      input: 'ls /sys/class/net; cat /code/1/input.txt; pwd; exit\n', encoding: 'utf8', timeout: 180_000,
    });
    expect(r.stdout).toMatch(/\blo\b/);
    expect(r.stdout).toContain('1\n2\n3\n');
    expect(r.status).toBe(0);
  });

  it('keeps persistence dirs across the days, each day in a fresh guest', () => {
    expect(vm[5].runonceOutput?.trim().split('\n')).toEqual(['1', '2', '3', '4', '5']);
  });
});
