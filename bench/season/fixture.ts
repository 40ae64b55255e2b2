/**
 * The season both sides of bench/season.ts benchmark: 7 participants × 11
 * days, each a real git repo with a Dockerfile FROM the local busybox image
 * plus one trivial RUN layer, a `.aocbench.yaml` in one of the shapes real
 * repos use, per-day solutions that take a few ms, and committed inputs and
 * answers. Two participants get a day wrong: Erin everywhere (day 5), Frank
 * only on some inputs (day 8), so the matrix has red cells.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { DEMO_IMAGE } from '../../runner/demo/season.ts';
import { git } from '../support.ts';

export const SEASON_DAYS = 11;
/** Every name starts with this, so every image and container of the benchmark can be found (and removed) by name. */
export const NAME_PREFIX = 's12-';
/** Lines of each input: the solutions take a few ms on them. */
const LINES = 4000;
/** Frank's flawed day: part 2 looks at the first half of the input only. */
const FRANK_DAY = 8;
/** Erin's wrong day: part 1 is off by one on every input. */
const ERIN_DAY = 5;

function numbers(seed: number, count: number): number[] {
  let x = seed;
  return Array.from({ length: count }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % 10000;
  });
}

interface Puzzle {
  input: string;
  answers: string;
}

/** Day d: part 1 = d × the sum, part 2 = the maximum + d. */
function puzzle(owner: number, day: number): Puzzle {
  const nums = numbers(day * 7919 + owner * 104729 + 1, LINES);
  if (day === FRANK_DAY) {
    // A unique maximum in the first half for Ada (the shared input) and Frank, in the second half for Brian and Grace.
    if (owner === 0 || owner === 5) nums[0] = 10000 + day;
    if (owner === 1 || owner === 2) nums[LINES - 1] = 10000 + day;
  }
  const sum = nums.reduce((a, b) => a + b, 0);
  return { input: `${nums.join('\n')}\n`, answers: `${sum * day}\n${Math.max(...nums) + day}\n` };
}

const awk = (day: number, opts: { wrong?: boolean; firstHalf?: boolean } = {}) =>
  `{ s += $1 * ${day} }\n${opts.firstHalf ? `NR <= ${LINES / 2} && $1 > m { m = $1 }` : '$1 > m { m = $1 }'}\nEND { print "Part 1: " s${opts.wrong ? ' + 1' : ''}; print "Part 2: " m + ${day} }\n`;

/** A shell script: part 1 with awk, part 2 with sort; `scale` is the day, literally or as "$SCALE" from the environment. */
const sh = (scale: string) =>
  `#!/bin/sh\nawk -v k="${scale}" '{ s += $1 } END { print "Part 1: " s * k }' "$1"\nsort -n "$1" | tail -n 1 | awk -v k="${scale}" '{ print "Part 2: " $1 + k }'\n`;

interface SeasonParticipant {
  name: string;
  yaml: Record<string, unknown>;
  files: (day: number, p: Puzzle) => Record<string, string>;
}

const z = (d: number) => String(d).padStart(2, '0');

const participants: SeasonParticipant[] = [
  {
    name: 'Ada',
    yaml: { version: 1, language: 'awk', code: '/code', workdir: '/code/day%zeroday%', cmd: 'awk -f solve.awk input.txt', daypath: 'day%zeroday%', inputfile: 'day%zeroday%/input.txt', answerfile: 'day%zeroday%/answers.txt' },
    files: (d, p) => ({ [`day${z(d)}/solve.awk`]: awk(d), [`day${z(d)}/input.txt`]: p.input, [`day${z(d)}/answers.txt`]: p.answers }),
  },
  {
    name: 'Brian',
    yaml: { version: 1, language: 'sh', workdir: '/code', runonce: 'chmod +x %day%/solve.sh', cmd: '%day%/solve.sh %input%' },
    files: (d, p) => ({ [`${d}/solve.sh`]: sh(String(d)), [`${d}/input.txt`]: p.input, [`${d}/answers.txt`]: p.answers }),
  },
  {
    name: 'Grace',
    yaml: { version: 1, language: 'awk', workdir: '/code', cmd: 'awk -f src/day%day%.awk %input%', daypath: 'src/day%day%.awk', inputfile: 'inputs/%day%.txt', answerfile: 'answers/%day%.txt' },
    files: (d, p) => ({ [`src/day${d}.awk`]: awk(d), [`inputs/${d}.txt`]: p.input, [`answers/${d}.txt`]: p.answers }),
  },
  {
    name: 'Linus',
    // "Compiled": runonce produces the file the timed command runs.
    yaml: { version: 1, language: 'awk (compiled)', workdir: '/code/%day%', runonce: 'cp solve.awk solve.bin', cmd: 'awk -f solve.bin input.txt' },
    files: (d, p) => ({ [`${d}/solve.awk`]: awk(d), [`${d}/input.txt`]: p.input, [`${d}/answers.txt`]: p.answers }),
  },
  {
    name: 'Erin',
    // A pipeline: needs a shell (hyperfine -S default in AoCBench).
    yaml: { version: 1, language: 'awk', workdir: '/code', hyperfineshell: true, cmd: 'cat %input% | awk -f %day%/solve.awk' },
    files: (d, p) => ({ [`${d}/solve.awk`]: awk(d, { wrong: d === ERIN_DAY }), [`${d}/input.txt`]: p.input, [`${d}/answers.txt`]: p.answers }),
  },
  {
    name: 'Frank',
    yaml: { version: 1, language: 'awk', workdir: '/code', cmd: 'awk -f day%zeroday%.awk %input%', daypath: 'day%zeroday%.awk', inputfile: 'input/%zeroday%.txt', answerfile: 'input/%zeroday%.answers' },
    files: (d, p) => ({ [`day${z(d)}.awk`]: awk(d, { firstHalf: d === FRANK_DAY }), [`input/${z(d)}.txt`]: p.input, [`input/${z(d)}.answers`]: p.answers }),
  },
  {
    name: 'Heidi',
    yaml: { version: 1, language: 'sh', workdir: '/code', environment: ['SCALE=%day%'], prerun: 'true', cmd: 'sh %day%/run.sh %input%' },
    files: (d, p) => ({ [`${d}/run.sh`]: sh('$SCALE'), [`${d}/input.txt`]: p.input, [`${d}/answers.txt`]: p.answers }),
  },
];

export const PARTICIPANTS = participants.map((p) => `${NAME_PREFIX}${p.name}`);

/** What the season's matrix should show: the (solver, day, input) cells that are wrong. */
export const EXPECTED_WRONG = { erin: ERIN_DAY, frank: FRANK_DAY };

export interface Season {
  /** Participant name → `file://` URL of its upstream repo. */
  repos: Array<{ name: string; repo: string }>;
}

/** Creates the 7 upstream repos under `root`; each commits day by day, as a season grows. */
export function createSeason(root: string): Season {
  const repos: Season['repos'] = [];
  participants.forEach((p, owner) => {
    const name = `${NAME_PREFIX}${p.name}`;
    const dir = join(root, name.toLowerCase());
    mkdirSync(dir, { recursive: true });
    git(dir, 'init', '-q', '-b', 'main');
    writeFileSync(join(dir, '.aocbench.yaml'), stringify(p.yaml));
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${DEMO_IMAGE}\nRUN echo ${name} > /etc/aocbench-season\n`);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'setup');
    for (let d = 1; d <= SEASON_DAYS; d++) {
      for (const [path, content] of Object.entries(p.files(d, puzzle(owner, d)))) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', `day ${d}`);
    }
    repos.push({ name, repo: `file://${dir}` });
  });
  return { repos };
}

/** aocbench's instance config for one round: a fresh data dir, 10 timed runs after 1 warm-up (as the replay's hyperfine). */
export function writeAocbenchConfig(file: string, dataDir: string, season: Season, runs: number): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    stringify({
      year: 2025,
      days: SEASON_DAYS,
      dataDir,
      inputsDir: join(dataDir, 'no-inputs'),
      repeat: { runs, warmup: 1 },
      participants: season.repos.map((r) => ({ name: r.name, repo: r.repo })),
    }),
  );
}
