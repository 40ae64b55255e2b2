import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDataDb } from '../../db/client.ts';
import { listHealth } from '../../db/queries/health.ts';
import { listMatrixInputs } from '../../db/queries/matrix.ts';
import { listParticipants } from '../../db/queries/participants.ts';
import { toCommandSpec } from '../../lib/command.ts';
import { bench } from '../../runner/cycle/bench.ts';
import type { BenchSummary } from '../../runner/records.ts';
import { loadInstance } from '../../db/instance.ts';
import { DockerExecutor } from '../../runner/executor/docker.ts';
import { loadParticipantState } from '../../runner/prepare/participant-state.ts';
import { startDaySession } from '../../runner/day/session-spec.ts';
import { matrix } from '../../runner/cycle/matrix.ts';
import { resultsJson } from '../../runner/report/results-json.ts';
import { commit, git, makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { quietProgress, writeInstance } from '../helpers/instance.ts';
import { GITATTRIBUTES, opensslEncrypt } from '../helpers/transcrypt.ts';

const YAML = `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`;
const SUM = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';
const INPUT = '3\n4\n5\n';
const ANSWERS = '12\n3\n';

let base: string;
let config: string;
let repos: Record<string, { dir: string; url: string }>;
let first: BenchSummary;

beforeAll(async () => {
  base = tempDir();
  const encrypted = (pw: string, kdf: 'md5' | 'pbkdf2') => ({
    '.aocbench.yaml': YAML, '.gitattributes': GITATTRIBUTES, '1/sol.awk': SUM,
    '1/input.txt': opensslEncrypt(INPUT, pw, kdf), '1/answers.txt': opensslEncrypt(ANSWERS, pw, kdf),
  });
  repos = {
    // First in config order, but undecryptable: it must not become the shared input.
    wrong: makeRepo(encrypted('the-real-password', 'md5'), base),
    classic: makeRepo(encrypted('classic-pw', 'md5'), base),
    modern: makeRepo(encrypted('modern-pw', 'pbkdf2'), base),
    // Some files encrypted, some plain.
    mixed: makeRepo({ '.aocbench.yaml': YAML, '.gitattributes': '*/answers.txt filter=crypt diff=crypt merge=crypt\n', '1/sol.awk': SUM, '1/input.txt': '1\n1\n', '1/answers.txt': opensslEncrypt('2\n2\n', 'mixed-pw', 'md5') }, base),
  };
  process.env.AOCBENCH_TEST_MODERN_PW = 'modern-pw';
  config = writeInstance(base, {
    year: 2024, days: 1, repeat: { runs: 3 },
    participants: [
      { name: 'wrong', repo: repos.wrong.url, encryption: { type: 'transcrypt', password: 'not-the-password' } },
      { name: 'classic', repo: repos.classic.url, encryption: { type: 'transcrypt', password: 'classic-pw' } },
      { name: 'modern', repo: repos.modern.url, encryption: { type: 'transcrypt', passwordEnv: 'AOCBENCH_TEST_MODERN_PW', kdf: 'pbkdf2' } },
      { name: 'mixed', repo: repos.mixed.url, encryption: { type: 'transcrypt', password: 'mixed-pw' } },
    ],
  });
  first = await bench({ config, progress: quietProgress() });
}, 240_000);

describe('transcrypt-encrypted inputs', () => {
  it('decrypts inputs for the shared input and benchmarks everyone, the undecryptable participant on the shared input', () => {
    expect(first.jobs.map((j) => `${j.participant}:${j.outcome?.status}`).sort()).toEqual(['classic:correct', 'mixed:correct', 'modern:correct', 'wrong:correct']);
    const db = openDataDb(join(base, 'data'));
    try {
      const days = resultsJson(db).participants.map((p) => `${p.name}<${p.days['1'].inputSource}`);
      expect(days).toEqual(['wrong<classic', 'classic<classic', 'modern<classic', 'mixed<classic']);
    } finally {
      db.$client.close();
    }
  });

  it('says why a participant cannot be decrypted, without the password', () => {
    const db = openDataDb(join(base, 'data'));
    try {
      const ids = new Map(listParticipants(db).map((p) => [p.name, p.id]));
      const h = listHealth(db).filter((x) => x.topic === 'decrypt');
      const of = (n: string) => h.find((x) => x.participantId === ids.get(n));
      expect(of('wrong')).toMatchObject({ level: 'error' });
      expect(of('wrong')?.message).toMatch(/cannot decrypt 2 file\(s\): wrong password or cipher/);
      expect(JSON.stringify(listHealth(db))).not.toContain('not-the-password');
      expect(of('classic')?.message).toMatch(/Decrypted 2/);
      expect(of('mixed')?.message).toMatch(/Decrypted 1/);
    } finally {
      db.$client.close();
    }
  });

  it('leaves the undecryptable inputs out of the matrix', async () => {
    await matrix({ config, progress: quietProgress(), noUpdate: true });
    const db = openDataDb(join(base, 'data'));
    try {
      expect(listMatrixInputs(db).map((i) => i.name).sort()).toEqual(['classic', 'mixed', 'modern']);
    } finally {
      db.$client.close();
    }
  });

  it('gives the participant code its files decrypted, while the clone keeps the ciphertext', async () => {
    const inst = loadInstance(config);
    const state = await loadParticipantState(inst.config, inst.dataDir, inst.config.participants.find((p) => p.name === 'mixed')!);
    const session = await startDaySession(new DockerExecutor(), inst, state, BUSYBOX_IMAGE, 1);
    try {
      const r = await session.exec(toCommandSpec('cat /code/1/answers.txt /code/1/input.txt'), { timeoutMs: 5000, capMode: 'kill' });
      expect(r.output).toBe('2\n2\n1\n1\n');
    } finally {
      await session.close();
    }
    expect(git(join(base, 'data/repos/mixed'), '--git-dir=.git', 'show', 'HEAD:1/answers.txt')).toMatch(/^U2FsdGVkX1/);
  });

  it('a re-encryption with a new salt re-runs nothing', async () => {
    commit(repos.classic.dir, { '1/input.txt': opensslEncrypt(INPUT, 'classic-pw', 'md5'), '1/answers.txt': opensslEncrypt(ANSWERS, 'classic-pw', 'md5') });
    const s = await bench({ config, progress: quietProgress() });
    expect(s.jobs).toEqual([]);
  });
});
