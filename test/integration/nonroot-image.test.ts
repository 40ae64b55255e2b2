/**
 * Issue 19, non-root images: an image whose Dockerfile says `USER nobody` with
 * `VOLUME /code` (as ShaneMcC/aoc-2023), a bare `USER 1000` with no passwd
 * entry and no /code, and a named user with a supplementary group. Through
 * the real bench path (git repos, Dockerfile builds, SQLite), every day is
 * `correct` only if the solution runs as the declared user and can write into
 * its code copy (and its persistence dir); the same in a VM guest; and whoever runs, no capability is left.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toCommandSpec } from '../../lib/command.ts';
import { listParticipants } from '../../db/queries/participants.ts';
import { listDayResults, type DayResultRow } from '../../db/queries/results.ts';
import { bench } from '../../runner/cycle/bench.ts';
import { DockerExecutor } from '../../runner/executor/docker.ts';
import { findKernel } from '../../runner/executor/vm/kernel.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE, buildNonrootImages, NONROOT, USER_FORMS } from '../helpers/images.ts';
import { quietProgress, withDb, writeInstance } from '../helpers/instance.ts';
import { bareSpec } from '../helpers/sandbox.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
type Kind = keyof typeof NONROOT;

/** Prints the answers only as the declared user without capabilities, after writing into the code copy, whose files that user owns. */
const solution = (uid: number) => [
  `[ "$(id -u)" = ${uid} ] || { echo "running as $(id -u), not ${uid}"; exit 1; }`,
  `[ "$(stat -c %u /code/1/sol.sh)" = ${uid} ] || { echo "the code copy is not ${uid}'s"; exit 1; }`,
  'echo written > /code/1/by-the-solution && mkdir -p /code/new-dir && echo written > ./in-the-workdir || exit 1',
  // No capability left to it, nor to the agent (PID 1) while it runs.
  `awk '/^Cap(Prm|Eff|Bnd|Amb)/ && $2 != "0000000000000000" { print FILENAME ": " $0; bad = 1 } END { exit bad }' /proc/self/status /proc/1/status || exit 1`,
  `awk '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }' "$1"`,
].join('\n');

/** A participant repository as one would commit it: the Dockerfile of NONROOT[kind], a workdir not in the repository, runonce printing `id` and writing into its persistence dir. */
function repo(kind: Kind, base: string) {
  return makeRepo({
    '.aocbench.yaml': 'version: 1\ndockerfile: Dockerfile\nworkdir: /code/work\npersistence: [/cache]\nrunonce: id && mkdir -p /code/build && echo built > /code/build/x && echo kept >> /cache/days\ncmd: sh /code/%day%/sol.sh %input%\n',
    Dockerfile: `${NONROOT[kind].dockerfile.join('\n')}\n`,
    '1/sol.sh': `${solution(NONROOT[kind].uid)}\n`,
    '1/input.txt': '1\n2\n3\n',
    '1/answers.txt': '6\n3\n',
  }, base);
}

async function season(executor: 'docker' | 'vm', kinds: Kind[]) {
  const base = tempDir('aocbench-nonroot-');
  const config = writeInstance(base, {
    year: 2024, days: 1, executor, vm: { accel: 'tcg' },
    repeat: { runs: 2, warmup: 0, timeoutSec: 10 },
    limits: { memoryMb: 96, pids: 64, outputKb: 64, diskMb: 256 },
    participants: kinds.map((k) => ({ name: k, repo: repo(k, base).url })),
  });
  await bench({ config, progress: quietProgress() });
  const results = withDb(base, (db) => {
    const ps = listParticipants(db);
    const rows = listDayResults(db, ps.map((p) => p.id));
    return Object.fromEntries(ps.map((p) => [p.name, rows.find((r) => r.participantId === p.id && r.day === 1)!])) as Record<string, DayResultRow>;
  });
  return { config, results };
}

const idLine = (kind: Kind) => {
  const n = NONROOT[kind];
  return new RegExp(`uid=${n.uid}\\b.*gid=${n.gid}\\b.*groups=${n.groups.map((g) => `${g}\\b[^,]*`).join(',')}$`, 'm');
};

describe('images with a non-root USER, in Docker', () => {
  let config: string;
  let results: Record<string, DayResultRow>;
  beforeAll(async () => {
    buildNonrootImages();
    ({ config, results } = await season('docker', ['nobody', 'numeric', 'named']));
  }, 300_000);

  it('runs every command as the declared user, with the code copy theirs to write (USER nobody + VOLUME /code, USER 1000, USER aoc)', () => {
    for (const kind of Object.keys(NONROOT) as Kind[]) {
      const r = results[kind];
      expect(r?.status, `${kind}: ${r?.failedStep} ${r?.runonceOutput}`).toBe('correct');
      expect(r.runonceOutput, kind).toMatch(idLine(kind));
    }
  });

  it('`aocbench shell` opens the shell as that user, without capabilities', () => {
    const r = spawnSync(process.execPath, [BIN, 'shell', '--config', config, '-p', 'nobody', '-d', '1'], {
      input: 'id -u; grep -E "^Cap(Eff|Prm|Bnd)" /proc/self/status; touch /code/from-shell && echo touched; exit\n', encoding: 'utf8', timeout: 120_000,
    });
    expect(r.stdout).toMatch(/^65534$/m);
    expect(r.stdout).toContain('touched');
    expect(r.stdout.match(/^Cap(Eff|Prm|Bnd):\s+0+$/gm)).toHaveLength(3);
  });
});

describe('no capability left to a participant command, root image or not', () => {
  const executor = new DockerExecutor();
  beforeAll(() => buildNonrootImages());

  for (const image of [BUSYBOX_IMAGE, NONROOT.nobody.ref, NONROOT.named.ref]) {
    it(`${image}: CapEff, CapPrm, CapBnd, CapInh and CapAmb all zero, no-new-privileges`, async () => {
      const s = await executor.start(bareSpec({ name: 'aocbench-caps', image }));
      try {
        const r = await s.exec(toCommandSpec('grep -E "^(Cap|NoNewPrivs)" /proc/self/status', true), { timeoutMs: 5000, capMode: 'kill' });
        const caps = Object.fromEntries(r.output.trim().split('\n').map((l) => l.split(/:\s+/)));
        expect(caps).toEqual({ CapInh: '0000000000000000', CapPrm: '0000000000000000', CapEff: '0000000000000000', CapBnd: '0000000000000000', CapAmb: '0000000000000000', NoNewPrivs: '1' });
      } finally {
        await s.close();
      }
    });
  }
});

describe('every form of USER', () => {
  const executor = new DockerExecutor();
  beforeAll(() => buildNonrootImages());

  for (const image of [...Object.values(NONROOT).map((n) => n.ref), USER_FORMS.uidGid, USER_FORMS.nameGroup]) {
    it(`${image}: the user, groups and HOME Docker itself gives a container of it`, async () => {
      const docker = execFileSync('docker', ['run', '--rm', '--network', 'none', image, 'sh', '-c', 'id; echo "$HOME"'], { encoding: 'utf8' });
      const s = await executor.start(bareSpec({ name: 'aocbench-user-forms', image }));
      try {
        const r = await s.exec(toCommandSpec('id; echo "$HOME"', true), { timeoutMs: 5000, capMode: 'kill' });
        expect(r.output).toBe(docker);
      } finally {
        await s.close();
      }
    });
  }
});

describe('an image\'s VOLUME', () => {
  it('counts against the disk limit: the code copy in `VOLUME /code` is outside the layer Docker measures', async () => {
    buildNonrootImages();
    const s = await new DockerExecutor().start(bareSpec({ name: 'aocbench-volume-disk', image: NONROOT.nobody.ref, limits: { memoryMb: 64, pids: 32, outputBytes: 4096, diskBytes: 8 << 20 } }));
    try {
      expect(await s.checkDisk()).toBeNull();
      const r = await s.exec(toCommandSpec('dd if=/dev/zero of=/code/big bs=1M count=12 2>&1', true), { timeoutMs: 10_000, capMode: 'kill' });
      expect(r.code, r.output).toBe(0);
      expect(await s.checkDisk()).toMatch(/over the 8 MB disk limit/);
    } finally {
      await s.close();
    }
  });
});

describe('a non-root USER in a VM guest', () => {
  it('runs as the declared user there too (USER nobody + VOLUME /code, USER 1000, USER aoc)', async () => {
    if (!findKernel({}, '/nonexistent')) throw new Error('no guest kernel: .ci/run unpacks Debian\'s linux-image-cloud-amd64 into /usr/local/share/aocbench/kernel');
    buildNonrootImages();
    const { results } = await season('vm', ['nobody', 'numeric', 'named']);
    for (const kind of Object.keys(NONROOT) as Kind[]) {
      const r = results[kind];
      expect(r?.status, `${kind}: ${r?.failedStep} ${r?.runonceOutput}`).toBe('correct');
      expect(r.runonceOutput, kind).toMatch(idLine(kind));
    }
  }, 600_000);
});
