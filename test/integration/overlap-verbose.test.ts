/**
 * `aocbench bench --verbose` and `matrix --verbose` in real Docker, with
 * sandboxes started ahead and closed in the background: the breakdown is
 * printed, every day gets its verdict, a participant's persistence dir still
 * carries over from one day to the next, and no container is left behind.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resultsJson } from '../../runner/report/results-json.ts';
import { instanceLabel } from '../../runner/host/instance-id.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const SUM_AWK = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';

let base: string;
let config: string;
let benchOut: ReturnType<typeof spawnSync>;
let matrixOut: ReturnType<typeof spawnSync>;

const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args, '--config', config], { encoding: 'utf8' });

beforeAll(() => {
  base = tempDir();
  const days = (f: (d: number) => Record<string, string>) => Object.assign({}, ...[1, 2, 3].map(f));
  // Ada counts her days in a persistence dir: day 3 prints 3 only if days 1 and 2 wrote there before it started.
  const ada = makeRepo({
    '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\npersistence: [/cache]\nrunonce: echo %day% >> /cache/days\ncmd: awk -f %day%/sol.awk %input%\n`,
    ...days((d) => ({ [`${d}/sol.awk`]: d === 3 ? '{ s += $1 } END { while ((getline l < "/cache/days") > 0) n++; print "Part 1: " s; print "Part 2: " n }\n' : SUM_AWK, [`${d}/input.txt`]: '1\n2\n3\n', [`${d}/answers.txt`]: '6\n3\n' })),
  }, base);
  const bob = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`, ...days((d) => ({ [`${d}/sol.awk`]: SUM_AWK })) }, base);
  config = writeInstance(base, { year: 2024, days: 3, repeat: { runs: 3 }, participants: [{ name: 'ada', repo: ada.url }, { name: 'bob', repo: bob.url }] });
  benchOut = cli('bench', '--verbose');
  matrixOut = cli('matrix', '--verbose', '--no-update');
});

describe('bench and matrix --verbose', () => {
  it('bench prints the summary, then where the wall time went', () => {
    expect(benchOut.status, String(benchOut.stderr)).toBe(0);
    const out = String(benchOut.stdout);
    expect(out).toMatch(/6 day\(s\) run in 6 container\(s\)/);
    for (const phase of ['process start', 'open', 'sync', 'image', 'sandbox start', 'runonce', 'untimed', 'timed runs', 'disk check', 'storage', 'other', 'wall']) {
      expect(out).toMatch(new RegExp(`^${phase}\\s+\\d+\\.\\d{3}\\s`, 'm'));
    }
    expect(out).toMatch(/^overlapped/m);
  });

  it('every day has its verdict, and a persistence dir carries over between days', () => {
    const data = withDb(base, (db) => resultsJson(db));
    for (const p of data.participants) expect(Object.values(p.days).map((d) => d.status)).toEqual(['correct', 'correct', 'correct']);
  });

  it('matrix prints its breakdown too', () => {
    expect(matrixOut.status, String(matrixOut.stderr)).toBe(0);
    expect(String(matrixOut.stdout)).toMatch(/cell\(s\) run in \d+ container\(s\)/);
    expect(String(matrixOut.stdout)).toMatch(/^sandbox start\s+\d+\.\d{3}\s/m);
  });

  it('leaves no container behind', () => {
    const left = execFileSync('docker', ['ps', '-aq', '--filter', `label=aocbench.instance=${instanceLabel(join(base, 'data'))}`], { encoding: 'utf8' });
    expect(left.trim()).toBe('');
  });
});
