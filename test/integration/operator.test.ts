import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listDayResults } from '../../db/queries/results.ts';
import { bench } from '../../runner/cycle/bench.ts';
import { makeRepo, tempDir, writeFiles } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { quietProgress, withDb, writeInstance } from '../helpers/instance.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
let base: string;
let config: string;

const cli = (args: string[], input?: string) => spawnSync(process.execPath, [BIN, ...args, '--config', config], { encoding: 'utf8', input });
const stored = () => withDb(base, (db) => JSON.stringify(listDayResults(db)));

beforeAll(async () => {
  base = tempDir();
  const repo = makeRepo({
    '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\nworkdir: /code/%day%\nenvironment:\n  - GREETING=hello-%day%\ncmd: awk -f sol.awk input.txt\n`,
    '1/sol.awk': '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n', '1/input.txt': '7\n8\n', '1/answers.txt': '15\n2\n',
  }, base);
  config = writeInstance(base, { year: 2024, days: 1, repeat: { runs: 2 }, participants: [{ name: 'alice', repo: repo.url }] });
  await bench({ config, progress: quietProgress() });
}, 120_000);

describe('operator commands', () => {
  it('`run` prints the output and the verdict and stores nothing', () => {
    const before = stored();
    const ok = cli(['run', '-p', 'alice', '-d', '1']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Part 1: 15');
    expect(ok.stdout).toMatch(/verdict: correct/);
    writeFiles(base, { 'other.txt': '1\n1\n1\n', 'other-answers.txt': '4\n3\n' });
    const wrong = cli(['run', '-p', 'alice', '-d', '1', '--input', join(base, 'other.txt'), '--answers', join(base, 'other-answers.txt')]);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toMatch(/verdict: wrong — wrong answer: expected part 1 "4"/);
    expect(stored()).toBe(before);
  });

  it('`shell` opens the day container with its workdir, environment, input and sandbox', () => {
    const r = cli(['shell', '-p', 'alice', '-d', '1'], 'pwd; echo "$GREETING"; head -1 input.txt; grep CapEff /proc/self/status; ls /sys/class/net; exit\n');
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout.split('\n');
    expect(out[0]).toBe('/code/1');
    expect(out[1]).toBe('hello-1');
    expect(out[2]).toBe('7');
    expect(r.stdout).toMatch(/CapEff:\s+0000000000000000/);
    expect(out[4]).toBe('lo');
  });

  it('names an unknown participant clearly', () => {
    const r = cli(['run', '-p', 'nobody', '-d', '1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no participant "nobody"/);
  });
});
