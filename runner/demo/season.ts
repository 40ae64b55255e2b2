import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

export const DEMO_IMAGE = 'aocbench-demo/busybox:1';
export const DEMO_DAYS = 5;

/** Deterministic pseudo-random numbers, so every demo season is the same. */
function numbers(seed: number, count: number): number[] {
  let x = seed;
  return Array.from({ length: count }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % 100000;
  });
}

function puzzle(day: number, seed = 7919) {
  const nums = numbers(day * seed, 3000 * day);
  return { input: `${nums.join('\n')}\n`, answers: `${nums.reduce((a, b) => a + b, 0)}\n${Math.max(...nums)}\n` };
}

const AWK = '{ s += $1; if ($1 > m) m = $1 } END { print "Part 1: " s; print "Part 2: " m }\n';
/*
 * The demo's solvers write different programs, as people do: a field split
 * per line (about a sixth slower than Ada's) and a conditional expression
 * with a counter (about half again). Identical programs would only ever tie.
 */
const SPLIT_AWK = '{ split($0, f, " "); s += f[1]; if (f[1] > m) m = f[1] } END { print "Part 1: " s; print "Part 2: " m }\n';
const COUNT_AWK = '{ s += $1; m = ($1 > m) ? $1 : m; k = k + 1 } END { print "Part 1: " s; print "Part 2: " m }\n';
const SORT_SH = 'awk \'{ s += $1 } END { print s }\' "$1"\nsort -n "$1" | tail -n 1\n';
const WRONG_AWK = '{ s += $1; if ($1 > m) m = $1 } END { print s + 1; print m }\n';

interface DemoParticipant {
  name: string;
  language: string;
  yaml: Record<string, unknown>;
  files: (day: number) => Record<string, string> | null;
}

const participants: DemoParticipant[] = [
  {
    name: 'Ada',
    language: 'awk',
    yaml: { version: 1, language: 'awk', image: DEMO_IMAGE, workdir: '/code/day%zeroday%', cmd: 'awk -f solve.awk input.txt', daypath: 'day%zeroday%', inputfile: 'day%zeroday%/input.txt', answerfile: 'day%zeroday%/answers.txt' },
    files: (d) => ({ [`day${String(d).padStart(2, '0')}/solve.awk`]: AWK, [`day${String(d).padStart(2, '0')}/input.txt`]: puzzle(d).input, [`day${String(d).padStart(2, '0')}/answers.txt`]: puzzle(d).answers }),
  },
  {
    name: 'Brian',
    language: 'sh',
    yaml: { version: 1, language: 'sh', image: DEMO_IMAGE, runonce: 'chmod +x %day%/solve.sh', cmd: '%day%/solve.sh %input%' },
    files: (d) => ({ [`${d}/solve.sh`]: `#!/bin/sh\n${SORT_SH}`, [`${d}/input.txt`]: puzzle(d, 104729).input, [`${d}/answers.txt`]: puzzle(d, 104729).answers }),
  },
  {
    name: 'Grace',
    language: 'awk',
    yaml: { version: 1, language: 'awk', image: DEMO_IMAGE, cmd: 'awk -f src/day%day%.awk %input%', daypath: 'src/day%day%.awk', inputfile: 'inputs/%day%.txt' },
    // Grace commits inputs but no answers: the matrix shows a consensus for them.
    files: (d) => (d <= 3 ? { [`src/day${d}.awk`]: COUNT_AWK, [`inputs/${d}.txt`]: puzzle(d, 1299709).input } : null),
  },
  {
    name: 'Linus',
    language: 'awk',
    yaml: { version: 1, language: 'awk', image: DEMO_IMAGE, cmd: 'awk -f %day%/solve.awk %input%' },
    files: (d) => ({ [`${d}/solve.awk`]: d === 3 ? WRONG_AWK : SPLIT_AWK }),
  },
];

function git(dir: string, ...args: string[]): void {
  execFileSync('git', args, {
    cwd: dir,
    stdio: 'pipe',
    env: { ...process.env, GIT_AUTHOR_NAME: 'demo', GIT_AUTHOR_EMAIL: 'demo@aocbench', GIT_COMMITTER_NAME: 'demo', GIT_COMMITTER_EMAIL: 'demo@aocbench' },
  });
}

/** Creates the demo participants' git repos and the instance config once; returns the config path. */
export function ensureDemoSeason(root: string): string {
  const configFile = join(root, 'aocbench.yaml');
  if (existsSync(configFile)) return configFile;
  const entries = [];
  for (const p of participants) {
    const dir = join(root, 'upstream', p.name.toLowerCase());
    mkdirSync(dir, { recursive: true });
    git(dir, 'init', '-q', '-b', 'main');
    writeFileSync(join(dir, '.aocbench.yaml'), stringify(p.yaml));
    for (let d = 1; d <= DEMO_DAYS; d++) {
      for (const [path, content] of Object.entries(p.files(d) ?? {})) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
    }
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', `${p.name}'s solutions`);
    entries.push({ name: p.name, repo: `file://${dir}`, subheading: 'demo' });
  }
  writeFileSync(
    configFile,
    stringify({ year: 2025, dataDir: join(root, 'data'), inputsDir: join(root, 'inputs'), participants: entries }),
  );
  return configFile;
}
