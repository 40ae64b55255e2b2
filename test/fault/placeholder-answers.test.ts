/**
 * Issue 19: the first participant who has a day commits a placeholder answers
 * file (`0` / `0`). A lone `bench` settles it in the same run: every solver
 * agrees on other answers, so that file is disputed and the day runs on the
 * next input with answers.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listHealth } from '../../db/queries/health.ts';
import { listParticipants } from '../../db/queries/participants.ts';
import { resultsJson } from '../../runner/report/results-json.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const SUM_AWK = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';
const config = (sol: string) => ({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`, '1/sol.awk': sol });

let base: string;
let out: ReturnType<typeof spawnSync>;

function season(dir: string): string {
  const first = makeRepo({ ...config(SUM_AWK), '1/input.txt': '1\n2\n3\n', '1/answers.txt': '0\n0\n' }, dir);
  const second = makeRepo({ ...config(SUM_AWK), '1/input.txt': '5\n6\n', '1/answers.txt': '11\n2\n' }, dir);
  const third = makeRepo({ ...config(SUM_AWK), '1/input.txt': '7\n' }, dir);
  return writeInstance(dir, {
    year: 2024, days: 1, repeat: { runs: 2, warmup: 0 },
    participants: [{ name: 'First', repo: first.url }, { name: 'Second', repo: second.url }, { name: 'Third', repo: third.url }],
  });
}
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 180_000 });

describe('a placeholder answers file', () => {
  beforeAll(() => {
    base = tempDir('aocbench-fault-');
    out = cli('bench', '--config', season(base));
  });

  it('one bench: everybody is correct on the next input with answers', () => {
    expect(out.status, String(out.stderr)).toBe(0);
    const days = withDb(base, (db) => resultsJson(db).participants.map((p) => [p.name, p.days['1']?.status, p.days['1']?.inputSource]));
    expect(days).toEqual([['First', 'correct', 'Second'], ['Second', 'correct', 'Second'], ['Third', 'correct', 'Second']]);
  });

  it('the owner of the placeholder file is told, and the run says why it ran again', () => {
    const warning = withDb(base, (db) => {
      const id = listParticipants(db).find((p) => p.name === 'First')!.id;
      return listHealth(db, id).find((h) => h.topic === 'answers');
    });
    expect(warning?.level).toBe('warning');
    expect(warning?.message).toMatch(/disagrees with every solver/);
    expect(String(out.stderr)).toMatch(/every solver disagrees with First's answers file/);
  });

  it('a matrix after a bench that could not tell says which days a bench would run again', () => {
    const dir = tempDir('aocbench-fault-');
    const file = season(dir);
    // One solver alone cannot contradict a file: its wrong result stands until the matrix has the evidence.
    expect(cli('bench', '--config', file, '-p', 'First').status).toBe(0);
    const m = cli('matrix', '--config', file);
    expect(m.status, m.stderr).toBe(0);
    expect(m.stdout).toMatch(/day 1: First's answers file \(3 of 3 solvers print other answers\)/);
    expect(m.stdout).toMatch(/aocbench bench -d '1'/);
    expect(cli('bench', '--config', file, '--no-update').status).toBe(0);
    expect(withDb(dir, (db) => resultsJson(db).participants.map((p) => p.days['1']?.status))).toEqual(['correct', 'correct', 'correct']);
    expect(cli('matrix', '--config', file, '--no-update').stdout).not.toMatch(/disputed answers file/);
  });
});
