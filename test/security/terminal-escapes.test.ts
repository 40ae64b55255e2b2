/**
 * Issue 20, terminal safety: a hostile participant puts terminal escape
 * sequences (CSI erase, OSC 52 clipboard write, the C1 CSI, the bidi override
 * U+202E) in its file names, its `.aocbench.yaml` keys and values, its build
 * log, its runonce and its solution's output. Run through the real CLI as child
 * processes (validate, bench, run) with real git, Docker and SQLite, nothing of
 * it reaches stdout or stderr raw, nothing raw is stored, and what was there is
 * still shown (made visible). An honest participant beside it stays correct.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listHealth } from '../../db/queries/health.ts';
import { resultsJson } from '../../runner/report/results-json.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
/** What a terminal acts on: C0 but tab and newline, DEL, C1, the bidi controls. */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** Erase the screen, put "pwned" on the clipboard (OSC 52 ... BEL), C1 CSI, right-to-left override. */
const HOSTILE = '\u001b[2J\u001b]52;c;cHduZWQ=\u0007\u009b31m\u202e';
/** The same, as busybox printf writes it (octal escapes of the UTF-8 bytes). */
const PRINTF = String.raw`\033[2J\033]52;c;cHduZWQ=\007\302\23331m\342\200\256`;
/** The same, as a YAML double-quoted scalar writes it. */
const YAML = String.raw`\e[2J\e]52;c;cHduZWQ=\a\u009b31m\u202e`;
const SUM_AWK = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';
const INPUT = '1\n2\n3\n';
const ANSWERS = '6\n3\n';
const INPUT_NAME = `in${HOSTILE}.txt`;

let base: string;
let config: string;
let eve: { dir: string };

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, out: r.stdout, err: r.stderr, all: r.stdout + r.stderr };
}

/** Every text value of every table: none may hold a raw control character. */
function rawStored(): string[] {
  return withDb(base, (db) => {
    const found: string[] = [];
    const tables = db.$client.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>;
    for (const { name } of tables) {
      for (const row of db.$client.prepare(`select * from "${name}"`).all() as Array<Record<string, unknown>>) {
        for (const [col, v] of Object.entries(row)) if (typeof v === 'string' && RAW.test(v)) found.push(`${name}.${col}: ${JSON.stringify(v).slice(0, 200)}`);
      }
    }
    return found;
  });
}

beforeAll(() => {
  base = tempDir('aocbench-escapes-');
  const day = (d: number, sol: string) => ({ [`${d}/sol.sh`]: sol, [`${d}/${INPUT_NAME}`]: INPUT, [`${d}/answers.txt`]: ANSWERS });
  eve = makeRepo({
    '.aocbench.yaml': [
      'version: 1',
      `image: ${BUSYBOX_IMAGE}`,
      `author: "eve${YAML}"`,
      `"key${YAML}": 1`,
      `inputfile: "%day%/in${YAML}.txt"`,
      `runonce: printf 'runonce says ${PRINTF}\\n'`,
      'cmd: sh /code/%day%/sol.sh "%input%"',
      '',
    ].join('\n'),
    // Day 1 is correct and prints its file names and the escapes; day 2 fails with them.
    ...day(1, `find /code/1; printf '${PRINTF}\\n'; printf '${PRINTF}\\n' >&2; awk '${SUM_AWK}' "$1"\n`),
    ...day(2, `printf 'crash ${PRINTF}\\n'; printf 'stderr ${PRINTF}\\n' >&2; exit 3\n`),
  }, base);
  // A build that fails with the escapes in its log, and an image name made of them.
  const mallory = makeRepo({
    '.aocbench.yaml': 'version: 1\ndockerfile: Dockerfile\ncmd: awk -f %day%/sol.awk %input%\n',
    Dockerfile: `FROM ${BUSYBOX_IMAGE}\nRUN printf 'build ${PRINTF}\\n' && false\n`,
    '1/sol.awk': SUM_AWK, '1/input.txt': INPUT, '1/answers.txt': ANSWERS,
  }, base);
  const trudy = makeRepo({ '.aocbench.yaml': `version: 1\nimage: "nosuch${YAML}:1"\ncmd: awk -f %day%/sol.awk %input%\n`, '1/sol.awk': SUM_AWK }, base);
  const alice = makeRepo({
    '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`,
    ...Object.fromEntries([1, 2].flatMap((d) => [[`${d}/sol.awk`, SUM_AWK], [`${d}/input.txt`, INPUT], [`${d}/answers.txt`, ANSWERS]])),
  }, base);
  config = writeInstance(base, {
    year: 2024, days: 2, repeat: { runs: 2, warmup: 0, timeoutSec: 20 },
    participants: [{ name: 'eve', repo: `file://${eve.dir}` }, { name: 'mallory', repo: mallory.url }, { name: 'trudy', repo: trudy.url }, { name: 'alice', repo: alice.url }],
  });
});

describe('escape sequences from a participant', () => {
  it('aocbench validate shows the hostile key and values made visible, nothing raw', () => {
    const r = cli('validate', eve.dir);
    expect(r.all).not.toMatch(RAW);
    expect(r.out).toContain('key\\u001b[2J\\u001b]52;c;cHduZWQ=\\u0007\\u009b31m\\u202e');
    const json = cli('validate', '--json', eve.dir);
    expect(json.all).not.toMatch(RAW);
    // The JSON is still JSON, and says what the file says.
    expect(JSON.parse(json.out).config.author).toBe(`eve${HOSTILE}`);
  });

  it('aocbench bench: no raw escape in the progress, the table or the errors; the honest participant is correct', () => {
    const r = cli('bench', '-c', config);
    expect([0, 1]).toContain(r.status);
    expect(r.all).not.toMatch(RAW);
    expect(r.all).toContain('\\u001b[2J');
    const days = withDb(base, (db) => Object.fromEntries(resultsJson(db).participants.map((p) => [p.name, Object.fromEntries(Object.entries(p.days).map(([d, x]) => [d, x.status]))])));
    expect(days.alice).toEqual({ 1: 'correct', 2: 'correct' });
    expect(days.eve[1]).toBe('correct');
    expect(days.eve[2]).not.toBe('correct');
  });

  it('stores nothing raw: health, results, logs, config and messages hold the escapes made visible', () => {
    expect(rawStored()).toEqual([]);
    const health = withDb(base, (db) => listHealth(db)).map((h) => `${h.message}\n${h.detail ?? ''}`).join('\n');
    expect(health).toContain('build \\u001b[2J'); // mallory's build log
    expect(health).toContain('nosuch\\u001b[2J'); // trudy's image name
    const eveDay = withDb(base, (db) => db.$client.prepare("select check_output, runonce_output from day_results r join participants p on p.id = r.participant_id where p.name = 'eve' and day = 1").get()) as { check_output: string; runonce_output: string };
    expect(eveDay.check_output).toContain('in\\u001b[2J'); // the file name, listed by the solution
    expect(eveDay.runonce_output).toContain('runonce says \\u001b[2J');
  });

  it('aocbench run prints the output and verdict with the escapes made visible', () => {
    for (const d of ['1', '2']) {
      const r = cli('run', '-c', config, '-p', 'eve', '-d', d);
      expect(r.all, `day ${d}`).not.toMatch(RAW);
      expect(r.out, `day ${d}`).toContain('\\u001b]52;c;cHduZWQ=\\u0007');
    }
    expect(rawStored()).toEqual([]);
  });
});
