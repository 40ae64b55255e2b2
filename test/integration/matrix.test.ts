import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDataDb } from '../../db/client.ts';
import { listMatrixCells, listMatrixInputs } from '../../db/queries/matrix.ts';
import { listParticipants } from '../../db/queries/participants.ts';
import { customInputs } from '../../db/schema.ts';
import { consensusFor, matrixFlag } from '../../lib/matrix.ts';
import { matrix } from '../../runner/cycle/matrix.ts';
import type { MatrixSummary } from '../../runner/records.ts';
import { resultsJson } from '../../runner/report/results-json.ts';
import { commit, makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { quietProgress, writeInstance } from '../helpers/instance.ts';

const SUM = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';
const yaml = `version: 1\nimage: ${BUSYBOX_IMAGE}\nrunonce: cp %day%/sol.awk /tmp-sol.awk || true\ncmd: awk -f %day%/sol.awk %input%\n`;

let base: string;
let config: string;
let repos: Record<string, { dir: string; url: string }>;
let first: MatrixSummary;

function db() {
  return openDataDb(join(base, 'data'));
}

const keys = (s: MatrixSummary) => s.cells.map((c) => `${c.solver}<${c.input}`).sort();

beforeAll(async () => {
  base = tempDir();
  repos = {
    alice: makeRepo({ '.aocbench.yaml': yaml, '1/sol.awk': SUM, '1/input.txt': '1\n2\n3\n', '1/answers.txt': '6\n3\n' }, base),
    bob: makeRepo({ '.aocbench.yaml': yaml, '1/sol.awk': `# bob\n${SUM}`, '1/input.txt': '10\n20\n', '1/answers.txt': '30\n2\n' }, base),
    // Hard-codes its own answers: right on its own input only.
    carl: makeRepo({ '.aocbench.yaml': yaml, '1/sol.awk': 'END { print "Part 1: 100"; print "Part 2: 1" }\n', '1/input.txt': '100\n', '1/answers.txt': '100\n1\n' }, base),
  };
  config = writeInstance(base, { year: 2024, days: 1, participants: Object.entries(repos).map(([name, r]) => ({ name, repo: r.url })) });
  const d = db();
  d.insert(customInputs).values({ day: 1, name: 'big', input: '5\n5\n5\n5\n', part1: null, part2: null, submittedBy: 'test', createdAt: Date.now() }).run();
  d.$client.close();
  first = await matrix({ config, progress: quietProgress() });
}, 240_000);

describe('input matrix', () => {
  it('runs every solver on every input, one container per solver and day', () => {
    expect(first.containers).toBe(3);
    expect(first.cells).toHaveLength(12);
  });

  it('gives verdicts per cell and flags the overfit solver', () => {
    const d = db();
    try {
      const ids = new Map(listParticipants(d).map((p) => [p.name, p.id]));
      const cells = listMatrixCells(d);
      const of = (solver: string) => cells.filter((c) => c.solverId === ids.get(solver));
      const status = (solver: string, input: string) => of(solver).find((c) => c.input === input)?.status;
      expect([status('alice', 'alice'), status('alice', 'bob'), status('alice', 'carl'), status('alice', 'custom:big')]).toEqual(['correct', 'correct', 'correct', 'unchecked']);
      expect([status('carl', 'carl'), status('carl', 'alice'), status('carl', 'bob')]).toEqual(['correct', 'wrong', 'wrong']);
      expect(of('carl').find((c) => c.input === 'alice')?.message).toMatch(/part 1 "6"/);
      const day1 = cells.filter((c) => c.day === 1);
      expect(matrixFlag(ids.get('carl')!, 'carl', day1)).toBe('overfit');
      expect(matrixFlag(ids.get('alice')!, 'alice', day1)).toBeNull();
      const answersOf = new Map(listMatrixInputs(d).filter((i) => i.part1 !== null).map((i) => [i.name, { part1: i.part1, part2: i.part2 }]));
      expect(consensusFor('custom:big', cells, answersOf)).toEqual({ answers: { part1: '20', part2: '4' }, agree: 2, of: 3 });
      expect(resultsJson(d).matrix['1'].carl).toEqual({ alice: 'wrong', bob: 'wrong', carl: 'correct', 'custom:big': 'unchecked' });
    } finally {
      d.$client.close();
    }
  });

  it('nothing changed: nothing runs', async () => {
    const s = await matrix({ config, progress: quietProgress() });
    expect(s.containers).toBe(0);
    expect(s.skipped).toBe(12);
  });

  it('a changed input re-runs only its row', async () => {
    commit(repos.bob.dir, { '1/input.txt': '10\n20\n30\n', '1/answers.txt': '60\n3\n' });
    const s = await matrix({ config, progress: quietProgress() });
    expect(keys(s)).toEqual(['alice<bob', 'bob<bob', 'carl<bob']);
  });

  it('a changed solver re-runs only its column; a removed input removes its cells', async () => {
    commit(repos.carl.dir, { '1/sol.awk': SUM });
    const d = db();
    d.delete(customInputs).run();
    d.$client.close();
    const s = await matrix({ config, progress: quietProgress() });
    expect(keys(s)).toEqual(['carl<alice', 'carl<bob', 'carl<carl']);
    const after = db();
    try {
      expect(listMatrixCells(after).some((c) => c.input === 'custom:big')).toBe(false);
      expect(listMatrixCells(after).filter((c) => c.status === 'correct')).toHaveLength(9);
    } finally {
      after.$client.close();
    }
  });
});
