import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataDb } from '../../db/client.ts';
import { listHealth } from '../../db/queries/health.ts';
import { getImage, listParticipants } from '../../db/queries/participants.ts';
import { listDayHistory, listDayResults } from '../../db/queries/results.ts';
import { bench } from '../../runner/cycle/bench.ts';
import type { BenchSummary } from '../../runner/records.ts';
import { resultsJson } from '../../runner/report/results-json.ts';
import { commit, makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE, GLIBC_IMAGE, MUSL_IMAGE, NOSHELL_IMAGE } from '../helpers/images.ts';
import { quietProgress, writeInstance } from '../helpers/instance.ts';

const SUM_AWK = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';
const INPUT = '1\n2\n3\n4\n';
const ANSWERS = '10\n4\n';

const yaml = (lines: string[]) => `${lines.join('\n')}\n`;

let base: string;
let configFile: string;
let repos: Record<string, { dir: string; url: string }>;
let first: BenchSummary;

function status(day: number, who: string) {
  const db = openDataDb(join(base, 'data'));
  try {
    return resultsJson(db).participants.find((p) => p.name === who)?.days[String(day)];
  } finally {
    db.$client.close();
  }
}

const jobKeys = (s: BenchSummary) => s.jobs.map((j) => `${j.participant}/${j.day}`).sort();

beforeAll(async () => {
  base = tempDir();
  repos = {
    // Source of the shared input; runonce "compiles" into build/, cmd uses %input%.
    alice: makeRepo({
      '.aocbench.yaml': yaml([
        '--', 'version: 1', 'language: awk', `image: ${BUSYBOX_IMAGE}`, 'code: /code', 'workdir: /code/%day%',
        'runonce: mkdir -p /code/build && cp /code/%day%/sol.awk /code/build/day%day%.awk && echo %day% >> /cache/days && cat /cache/days',
        'persistence:', '  - /cache',
        'cmd: awk -f /code/build/day%day%.awk %input%',
        'daypath: "%day%"',
      ]).replace('--\n', '---\n'),
      '1/sol.awk': SUM_AWK, '1/input.txt': INPUT, '1/answers.txt': ANSWERS,
      '2/sol.awk': SUM_AWK, '2/input.txt': '5\n5\n', '2/answers.txt': '10\r\n2\r\n',
      '3/sol.awk': `{ s += $1 } END { system("usleep 50000"); print s; print NR }\n`, '3/input.txt': INPUT, '3/answers.txt': ANSWERS,
    }, base),
    // Wrong, timeout and out-of-memory; no answers of its own.
    bob: makeRepo({
      '.aocbench.yaml': yaml(['version: 1', `image: ${BUSYBOX_IMAGE}`, 'cmd: awk -f %day%/sol.awk %input%']),
      '1/sol.awk': '{ s += $1 } END { print s + 1; print NR }\n', '1/input.txt': '7\n',
      '2/sol.awk': 'BEGIN { system("sleep 30") }\n',
      '3/sol.awk': 'BEGIN { s = "xxxxxxxxxxxxxxxx"; while (1) s = s s }\n',
    }, base),
    // A glibc image with bash.
    carol: makeRepo({
      '.aocbench.yaml': yaml(['version: 1', `image: ${GLIBC_IMAGE}`, 'cmd: bash %day%/sol.sh %input%']),
      '1/sol.sh': 's=0; n=0; while read -r x; do s=$((s+x)); n=$((n+1)); done < "$1"; echo "$s"; echo "$n"\n',
    }, base),
    // No shell in the image: the shell-syntax runonce must still work.
    dave: makeRepo({
      '.aocbench.yaml': yaml([
        'version: 1', `image: ${NOSHELL_IMAGE}`, 'workdir: /code',
        'runonce: /bin/busybox mkdir -p build && /bin/busybox cp %day%/sol.awk build/s.awk',
        'cmd: /bin/busybox awk -f build/s.awk %input%',
      ]),
      '1/sol.awk': SUM_AWK,
    }, base),
    // Dockerfile build and shell syntax in cmd.
    erin: makeRepo({
      '.aocbench.yaml': yaml(['version: 1', 'dockerfile: docker/Dockerfile', 'prerun: mkdir -p /tmp && ln -s /code/%day%/sol.awk /tmp/sol.awk', 'cmd: cat $(echo %input%) | awk -f /tmp/sol.awk']),
      'docker/Dockerfile': `FROM ${BUSYBOX_IMAGE}\nENV ERIN=1\n`,
      '1/sol.awk': SUM_AWK,
    }, base),
    // musl, no shell: a prebuilt binary in the image.
    ivy: makeRepo({ '.aocbench.yaml': yaml(['version: 1', `image: ${MUSL_IMAGE}`, 'cmd: /bin/sum %input%']), '1/README': 'sum.c' }, base),
    frank: makeRepo({ '.aocbench.yml': 'version: 1\ncmd: [unclosed\n' }, base),
    // An image that is neither local nor pullable.
    jack: makeRepo({ '.aocbench.yaml': yaml(['version: 1', 'image: aocbench-test/does-not-exist:1', 'cmd: ./run']), '1/run': 'x' }, base),
    hank: makeRepo({
      '.aocbench.yaml': yaml(['version: 1', `image: ${BUSYBOX_IMAGE}`, 'cmd: cat x', 'inputfile: ../../outside/%day%.txt']),
      '1/sol': 'x',
    }, base),
  };
  configFile = writeInstance(base, {
    year: 2025,
    days: 3,
    repeat: { runs: 5, timeoutSec: 3 },
    limits: { memoryMb: 64, pids: 64, outputKb: 64 },
    participants: [
      ...Object.entries(repos).map(([name, r]) => ({ name, repo: r.url })),
      { name: 'gina', repo: `file://${join(base, 'vanished')}` },
    ],
  });
  const lines: string[] = [];
  first = await bench({ config: configFile, progress: quietProgress(lines) });
  if (process.env.DEBUG_BENCH) console.log(lines.join('\n'));
}, 240_000);

afterAll(() => {
  // Checkouts are owned by root-run containers; the temp dir is left for inspection on failure.
});

describe('bench cycle', () => {
  it('runs every present day once, one container each', () => {
    expect(jobKeys(first)).toEqual(['alice/1', 'alice/2', 'alice/3', 'bob/1', 'bob/2', 'bob/3', 'carol/1', 'dave/1', 'erin/1', 'ivy/1']);
    expect(first.containers).toBe(10);
  });

  it('checks answers on the shared input: correct and wrong', () => {
    for (const who of ['alice', 'carol', 'dave', 'erin', 'ivy']) expect(status(1, who)?.status, who).toBe('correct');
    expect(status(2, 'alice')?.status).toBe('correct');
    expect(status(1, 'bob')?.status).toBe('wrong');
    expect(status(1, 'bob')?.inputSource).toBe('alice');
    const bob1 = first.jobs.find((j) => j.participant === 'bob' && j.day === 1)!;
    expect(bob1.outcome?.message).toMatch(/part 1 "10"/);
  });

  it('reports timeout and out-of-memory verdicts', () => {
    expect(status(2, 'bob')?.status).toBe('timeout');
    expect(status(3, 'bob')?.status).toBe('oom');
  });

  it('stores every sample and a median in range', () => {
    const d = status(3, 'alice')!;
    expect(d.samples).toBe(5);
    expect(d.medianMs).toBeGreaterThanOrEqual(50);
    expect(d.medianMs).toBeLessThan(150);
    expect(d.ciLowMs).toBeLessThanOrEqual(d.medianMs!);
    expect(status(1, 'alice')!.medianMs).toBeLessThan(50);
  });

  it('keeps persistence dirs across a participant\'s days, in a volume no other participant or host path shares', () => {
    const db = openDataDb(join(base, 'data'));
    try {
      const alice = listParticipants(db).find((p) => p.name === 'alice')!.id;
      const day3 = listDayResults(db, [alice]).find((r) => r.day === 3);
      expect(day3?.runonceOutput?.trim().split('\n')).toEqual(['1', '2', '3']);
    } finally {
      db.$client.close();
    }
    expect(existsSync(join(base, 'data/persist'))).toBe(false);
  });

  it('keeps bad participants from affecting the others, with health messages', () => {
    const db = openDataDb(join(base, 'data'));
    try {
      const ps = listParticipants(db);
      const id = (n: string) => ps.find((p) => p.name === n)!.id;
      const h = listHealth(db);
      const msg = (n: string, topic: string, day = 0) => h.find((r) => r.participantId === id(n) && r.topic === topic && r.day === day);
      expect(msg('frank', 'config')?.level).toBe('error');
      expect(msg('frank', 'config')?.message).toMatch(/YAML does not parse/);
      expect(msg('gina', 'repo')?.level).toBe('error');
      expect(msg('gina', 'repo')?.message).toMatch(/git clone failed/);
      expect(msg('hank', 'config')?.level).toBe('error');
      expect(msg('hank', 'config')?.message).toMatch(/"inputfile": "..\/..\/outside\/%day%.txt" points outside the repository/);
      expect(msg('jack', 'image')?.level).toBe('error');
      expect(msg('jack', 'image')?.detail).toMatch(/not available locally and could not be pulled/);
      expect(getImage(db, id('erin'))).toMatchObject({ ok: true, kind: 'dockerfile' });
      expect(getImage(db, id('erin'))?.ref).toMatch(/^aocbench-erin:[0-9a-f]{12}$/);
    } finally {
      db.$client.close();
    }
  });

  it('`aocbench results --json` prints the stored verdicts and medians', () => {
    const out = execFileSync(process.execPath, [join(import.meta.dirname, '../../bin/aocbench.js'), 'results', '--json', '--config', configFile], { encoding: 'utf8' });
    const data = JSON.parse(out) as { participants: Array<{ name: string; days: Record<string, { status: string; medianMs: number | null; samples: number; version: string; env: Record<string, unknown> | null }> }> };
    const alice = data.participants.find((p) => p.name === 'alice')!;
    expect(alice.days['1']).toMatchObject({ status: 'correct', samples: 5 });
    expect(alice.days['1'].medianMs).toBeGreaterThan(0);
    expect(alice.days['1'].version).toMatch(/^[0-9a-f]{16}:[0-9a-f]{16}$/);
    expect(data.participants.find((p) => p.name === 'bob')!.days['2']).toMatchObject({ status: 'timeout', medianMs: null, samples: 0 });
    // Every result says where it was measured.
    for (const p of data.participants) for (const d of Object.values(p.days)) expect(d.env).toMatchObject({ executor: 'docker', cpuModel: expect.any(String), kernel: expect.any(String), imageId: expect.stringMatching(/^sha256:/) });
  });

  it('a fresh clone of unchanged files neither rebuilds the image nor re-runs', async () => {
    rmSync(join(base, 'data/repos/erin'), { recursive: true, force: true });
    const s = await bench({ config: configFile, progress: quietProgress(), participant: 'erin' });
    expect(s.containers).toBe(0);
    const db = openDataDb(join(base, 'data'));
    try {
      const erin = listParticipants(db).find((p) => p.name === 'erin')!;
      expect(getImage(db, erin.id)?.built).toBe(false);
    } finally {
      db.$client.close();
    }
  });

  it('an unchanged repo starts no container', async () => {
    const s = await bench({ config: configFile, progress: quietProgress() });
    expect(s.containers).toBe(0);
    expect(s.jobs).toEqual([]);
    expect(s.skipped).toBe(10);
  });

  it('a change to one day re-runs only that day, and keeps the old result as history', async () => {
    commit(repos.alice.dir, { '2/sol.awk': `# faster\n${SUM_AWK}` });
    const s = await bench({ config: configFile, progress: quietProgress() });
    expect(jobKeys(s)).toEqual(['alice/2']);
    const db = openDataDb(join(base, 'data'));
    try {
      const alice = listParticipants(db).find((p) => p.name === 'alice')!;
      expect(listDayHistory(db, alice.id, 2)).toHaveLength(1);
    } finally {
      db.$client.close();
    }
  });

  it('a changed shared input re-runs that day for everyone', async () => {
    commit(repos.alice.dir, { '1/input.txt': '1\n2\n3\n4\n10\n', '1/answers.txt': '20\n5\n' });
    const s = await bench({ config: configFile, progress: quietProgress() });
    expect(jobKeys(s)).toEqual(['alice/1', 'bob/1', 'carol/1', 'dave/1', 'erin/1', 'ivy/1']);
    expect(status(1, 'carol')?.status).toBe('correct');
  });

  it('--dry-run lists what would run and runs nothing', async () => {
    commit(repos.carol.dir, { '1/sol.sh': `# v2\n${'s=0; n=0; while read -r x; do s=$((s+x)); n=$((n+1)); done < "$1"; echo "$s"; echo "$n"'}\n` });
    const s = await bench({ config: configFile, progress: quietProgress(), dryRun: true });
    expect(s.jobs.map((j) => `${j.participant}/${j.day}:${j.reason}`), JSON.stringify(s.jobs)).toEqual(['carol/1:code changed']);
    expect(s.containers).toBe(0);
    const again = await bench({ config: configFile, progress: quietProgress(), dryRun: true });
    expect(again.jobs).toHaveLength(1);
  });

  it('--force re-runs, -p and -d select, and the checkout is clean afterwards', async () => {
    const s = await bench({ config: configFile, progress: quietProgress(), force: true, participant: 'car.*', day: '1' });
    expect(jobKeys(s)).toEqual(['carol/1']);
    expect(existsSync(join(base, 'data/repos/alice/build'))).toBe(false);
  });
});
