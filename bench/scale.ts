/**
 * Issue 25: what a cycle costs at scale. N file:// participants (2 days each,
 * one shared busybox image, `repeat.runs: 3`) benched through the CLI: the
 * first bench, then two cycles in which nothing changed, each with its wall
 * time and CPU time (user + sys of the CLI and every process it waited for,
 * from /usr/bin/time), beside a plain `git fetch` loop over the same
 * repositories measured in the same run; then a push to one participant
 * (only its changed day may run) and the start of `validate`, `results` and
 * `trigger`. Docker's own CPU is not counted: a no-change cycle starts no container.
 *
 * `npm run bench -- scale [N]` (or $SCALE_PARTICIPANTS); default 100; $SCALE_KEEP=1 keeps the instance.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { stringify } from 'yaml';
import { ensureBusyboxImage } from '../runner/demo/busybox-image.ts';
import { DEMO_IMAGE } from '../runner/demo/season.ts';
import { DockerExecutor } from '../runner/executor/docker.ts';
import { git } from './support.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'aocbench.js');
const DAYS = 2;

interface Timed {
  wallMs: number;
  cpuMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command under /usr/bin/time: wall time, and user + sys of it and its waited-for children. */
function timed(cmd: string, args: string[], cwd = ROOT): Promise<Timed> {
  const out = join(tmpdir(), `aocbench-scale-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const t = performance.now();
  return new Promise((resolve) => {
    const p = spawn('/usr/bin/time', ['-o', out, '-f', '%U %S', cmd, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => {
      const wallMs = performance.now() - t;
      const last = readFileSync(out, 'utf8').trim().split('\n').pop() ?? '0 0';
      rmSync(out, { force: true });
      const [u, s] = last.split(' ').map(Number);
      resolve({ wallMs, cpuMs: (u + s) * 1000, code, stdout, stderr });
    });
  });
}

export function createRepos(root: string, n: number): Array<{ name: string; repo: string }> {
  const repos = [];
  for (let i = 0; i < n; i++) {
    const name = `scale-${String(i).padStart(4, '0')}`;
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    git(dir, 'init', '-q', '-b', 'main');
    writeFileSync(join(dir, '.aocbench.yaml'), stringify({ version: 1, language: 'sh', image: DEMO_IMAGE, workdir: '/code', cmd: 'sh %day%/solve.sh %input%' }));
    for (let d = 1; d <= DAYS; d++) {
      mkdirSync(join(dir, String(d)));
      writeFileSync(join(dir, String(d), 'solve.sh'), `#!/bin/sh\necho "Part 1: $(wc -l < "$1")"\necho "Part 2: ${d + i}"\n`);
      writeFileSync(join(dir, String(d), 'input.txt'), `${Array.from({ length: 10 + i }, (_, k) => k).join('\n')}\n`);
      writeFileSync(join(dir, String(d), 'answers.txt'), `${10 + i}\n${d + i}\n`);
    }
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'two days');
    repos.push({ name, repo: `file://${dir}` });
  }
  return repos;
}

/** The same repositories fetched by plain git, one process per repo in a shell loop, into bare clones made beforehand. */
async function fetchLoop(root: string, repos: Array<{ repo: string }>): Promise<Timed> {
  const dirs = repos.map((r, i) => {
    const dir = join(root, `plain-${i}`);
    execFileSync('git', ['init', '-q', '--bare', dir]);
    execFileSync('git', ['-C', dir, 'fetch', '-q', r.repo, '+HEAD:refs/heads/main']);
    return `${dir} ${r.repo}`;
  });
  const list = join(root, 'plain.list');
  writeFileSync(list, `${dirs.join('\n')}\n`);
  return timed('/bin/sh', ['-c', `while read d u; do git -C "$d" fetch -q "$u" +HEAD:refs/heads/main || exit 1; done < '${list}'`]);
}

const s = (ms: number) => (ms / 1000).toFixed(2);

export async function scale(): Promise<void> {
  const n = Math.max(1, Number(process.argv[3] ?? process.env.SCALE_PARTICIPANTS ?? 100));
  const executor = new DockerExecutor(new Docker());
  const problem = await executor.unavailable();
  if (problem) throw new Error(problem);
  await ensureBusyboxImage(executor, DEMO_IMAGE);
  const root = mkdtempSync(join(tmpdir(), 'aocbench-scale-'));
  try {
    process.stderr.write(`scale: creating ${n} participants\n`);
    const repos = createRepos(join(root, 'upstream'), n);
    const config = join(root, 'aocbench.yaml');
    const dataDir = join(root, 'data');
    writeFileSync(config, stringify({ year: 2025, days: DAYS, dataDir, inputsDir: join(dataDir, 'no-inputs'), repeat: { runs: 3, warmup: 1 }, participants: repos }));
    const bench = async (what: string) => {
      process.stderr.write(`scale: ${what}\n`);
      const r = await timed(process.execPath, [CLI, 'bench', '--config', config]);
      if (r.code !== 0) throw new Error(`${what} exited with ${r.code}:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-3000)}`);
      return { ...r, summary: /\d+ day\(s\) run in \d+ container\(s\), \d+ unchanged/.exec(r.stdout)?.[0] ?? '?' };
    };
    const first = await bench('first bench');
    const again = [await bench('no-change cycle 1'), await bench('no-change cycle 2')];
    // A push to one participant in the middle: only its changed day runs again.
    const pushed = join(root, 'upstream', repos[Math.floor(n / 2)].name);
    writeFileSync(join(pushed, '2', 'solve.sh'), `${readFileSync(join(pushed, '2', 'solve.sh'), 'utf8')}# faster now\n`);
    git(pushed, 'commit', '-q', '-am', 'day 2 again');
    const push = await bench('a push to one participant');
    if (!/^1 day\(s\) run in 1 container\(s\)/.test(push.summary)) throw new Error(`a push to one participant ran more than its changed day: ${push.summary}`);
    const plain = await fetchLoop(root, repos);
    if (plain.code !== 0) throw new Error(`git fetch loop failed: ${plain.stderr}`);
    const starts = [
      ['validate <repo>', await timed(process.execPath, [CLI, 'validate', join(root, 'upstream', repos[0].name)])],
      ['results --json', await timed(process.execPath, [CLI, 'results', '--json', '--config', config])],
      ['trigger -p <name>', await timed(process.execPath, [CLI, 'trigger', '-p', repos[0].name, '--config', config])],
    ] as const;

    const per = (ms: number) => `${(ms / n).toFixed(1)} ms`;
    console.log(`## Scale: ${n} participants × ${DAYS} days, one shared busybox image, repeat.runs 3 (${cpus().length} × ${cpus()[0]?.model ?? 'CPU'})`);
    console.log('| | wall | CPU (user+sys, with children) | CPU per participant | |');
    console.log('|---|---|---|---|---|');
    console.log(`| first bench | ${s(first.wallMs)} s | ${s(first.cpuMs)} s | ${per(first.cpuMs)} | ${first.summary} |`);
    again.forEach((r, i) => console.log(`| no-change cycle ${i + 1} | ${s(r.wallMs)} s | ${s(r.cpuMs)} s | ${per(r.cpuMs)} | ${r.summary} |`));
    console.log(`| a push to one participant | ${s(push.wallMs)} s | ${s(push.cpuMs)} s | ${per(push.cpuMs)} | ${push.summary} |`);
    console.log(`| plain \`git fetch\` loop, same repos | ${s(plain.wallMs)} s | ${s(plain.cpuMs)} s | ${per(plain.cpuMs)} | one process per repo |`);
    for (const [what, r] of starts) console.log(`| CLI start and run: \`${what}\` | ${s(r.wallMs)} s | ${s(r.cpuMs)} s | | exit ${r.code} |`);
  } finally {
    // $SCALE_KEEP=1 keeps the instance for profiling a no-change cycle by hand.
    if (process.env.SCALE_KEEP) process.stderr.write(`scale: kept ${root}\n`);
    else rmSync(root, { recursive: true, force: true });
  }
}
