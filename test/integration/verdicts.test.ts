/**
 * Classes of real repositories that used to be judged wrong, with real
 * Docker: a script without a shebang as the command, a relative workdir, an
 * out-of-memory kill in a child process, a participant whose sandbox cannot
 * start (the matrix must go on), and a placeholder answers file on the input
 * everyone is benchmarked on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { listHealth } from '../../db/queries/health.ts';
import { listMatrixCells } from '../../db/queries/matrix.ts';
import { listParticipants } from '../../db/queries/participants.ts';
import { listDayResults, type DayResultRow } from '../../db/queries/results.ts';
import { bench } from '../../runner/cycle/bench.ts';
import { matrix } from '../../runner/cycle/matrix.ts';
import type { MatrixSummary } from '../../runner/records.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { quietProgress, withDb, writeInstance } from '../helpers/instance.ts';

const SUM = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';
const yaml = (...lines: string[]) => `version: 1\nimage: ${BUSYBOX_IMAGE}\n${lines.join('\n')}\n`;

let base: string;
let config: string;
let first: Record<string, DayResultRow>;
let second: Record<string, DayResultRow>;
let matrixRun: MatrixSummary;

const results = () =>
  withDb(base, (db) => {
    const names = new Map(listParticipants(db).map((p) => [p.id, p.name]));
    return Object.fromEntries(listDayResults(db).filter((r) => r.day === 1).map((r) => [names.get(r.participantId)!, r]));
  });

beforeAll(async () => {
  base = tempDir();
  const repos = {
    // First in config order, with an input: its answers file is a placeholder.
    placeholder: makeRepo({ '.aocbench.yaml': yaml('cmd: awk -f 1/sol.awk %input%'), '1/sol.awk': SUM, '1/input.txt': '1\n2\n3\n', '1/answers.txt': '0\n0\n' }, base),
    truth: makeRepo({ '.aocbench.yaml': yaml('cmd: awk -f 1/sol.awk %input%'), '1/sol.awk': SUM, '1/input.txt': '4\n5\n', '1/answers.txt': '9\n2\n' }, base),
    // runonce copies a plain shell script (no #! line) that cmd then runs directly.
    noshebang: makeRepo({
      '.aocbench.yaml': yaml('runonce: mkdir -p /build && cp 1/solve /build/solve-1 && chmod +x /build/solve-1', 'cmd: /build/solve-1 %input%'),
      '1/solve': `awk '${SUM.trim()}' "$1"\n`,
    }, base),
    // A workdir that is relative once %day% is filled in.
    relative: makeRepo({ '.aocbench.yaml': yaml('workdir: "%day%"', 'cmd: awk -f sol.awk %input%'), '1/sol.awk': SUM }, base),
    // The OOM killer takes awk, a child of the shell; the shell then exits with 137.
    childoom: makeRepo({ '.aocbench.yaml': yaml('cmd: sh 1/run.sh'), '1/run.sh': 'awk \'BEGIN { s = "xxxxxxxxxxxxxxxx"; while (1) s = s s }\'\n' }, base),
    // Its sandbox cannot start: the code copy cannot be placed in /proc.
    broken: makeRepo({ '.aocbench.yaml': yaml('code: /proc/aocbench', 'cmd: awk -f 1/sol.awk %input%'), '1/sol.awk': SUM }, base),
  };
  config = writeInstance(base, {
    year: 2024, days: 1, repeat: { runs: 3, timeoutSec: 10 }, limits: { memoryMb: 64, pids: 64, outputKb: 64 },
    participants: Object.entries(repos).map(([name, r]) => ({ name, repo: r.url })),
  });
  await bench({ config, progress: quietProgress() });
  first = results();
  matrixRun = await matrix({ config, progress: quietProgress() });
  await bench({ config, progress: quietProgress() });
  second = results();
}, 600_000);

describe('verdicts of repositories that exist', () => {
  it('runs a script without a shebang as a shell would', () => {
    expect(second.noshebang.status).toBe('correct');
    expect(first.noshebang.message ?? '').not.toMatch(/could not be started/);
  });

  it('resolves a relative workdir against the code dir', () => {
    expect(second.relative.status).toBe('correct');
  });

  it('calls an out-of-memory kill of a child process oom, naming the limit', () => {
    expect(second.childoom).toMatchObject({ status: 'oom', failedStep: 'check' });
    expect(second.childoom.message).toMatch(/out of memory at the 64 MB limit/);
  });

  it('keeps one participant\'s failure its own: the matrix runs everybody else', () => {
    expect(second.broken).toMatchObject({ status: 'error' });
    expect(second.broken.message).toMatch(/could not run: .*\/proc\/aocbench/);
    const cells = withDb(base, (db) => {
      const names = new Map(listParticipants(db).map((p) => [p.id, p.name]));
      return listMatrixCells(db).map((c) => ({ solver: names.get(c.solverId)!, input: c.input, status: c.status, message: c.message }));
    });
    expect(cells.filter((c) => c.solver === 'broken').every((c) => c.status === 'error' && /could not run/.test(c.message ?? ''))).toBe(true);
    expect(cells.filter((c) => c.solver === 'truth').map((c) => c.status).sort()).toEqual(['correct', 'wrong']);
    // The first bench already ran the day's matrix (to settle the placeholder file); this one had nothing left.
    expect(cells.length).toBe(12);
    expect(matrixRun.cells.length).toBe(0);
  });

  it('passes over a placeholder answers file everybody disagrees with, and tells its owner', () => {
    // The first bench found everybody "wrong" on the placeholder's input, ran the day's matrix, saw the
    // solvers agree on other answers, and benchmarked the day again on the next input: everybody right.
    for (const who of ['placeholder', 'truth', 'noshebang', 'relative']) expect(first[who], who).toMatchObject({ status: 'correct', inputSource: 'truth' });
    for (const who of ['placeholder', 'truth', 'noshebang', 'relative']) expect(second[who], who).toMatchObject({ status: 'correct', inputSource: 'truth' });
    const note = withDb(base, (db) => {
      const id = listParticipants(db).find((p) => p.name === 'placeholder')!.id;
      return listHealth(db).find((h) => h.participantId === id && h.day === 1 && h.topic === 'answers');
    });
    expect(note?.message).toMatch(/Your answers file \(part 1 "0", part 2 "0"\) disagrees with every solver: \d of \d print part 1 "6", part 2 "3"/);
  });
});
