/**
 * Issue 12's table, measured in one run: first bench (clone, build, run 11
 * days), a re-run with nothing changed, and a full input matrix of a
 * 7-participant season, aocbench against AoCBench, with container counts.
 *
 * aocbench is measured through its CLI, as a user runs it (`bench`, `bench`
 * again, `matrix --force --no-update`), each round on a fresh data dir.
 * AoCBench (PHP) cannot run here: its side is bench/season/aocbench-replay.ts,
 * a replay of its processes and containers (clone/update, docker build,
 * per day runonce + check + hyperfine containers, per (solver, day) runonce +
 * bulk-input containers in the matrix, its git look-ups), on the same season
 * and the same Docker. Both do 1 warm-up + 10 timed runs per day.
 *
 * Fairness: before every first bench all of the season's images (both sides')
 * are removed, so both build cold (the busybox base image and aocbench's tools
 * volume stay, as a pulled base image would); rounds alternate sides.
 * Containers are counted from `docker events` by name.
 *
 * `npm run bench -- season`; $SEASON_ROUNDS rounds per side (default 2);
 * $SEASON_AOCBENCH_ROOT measures another aocbench checkout's CLI (e.g. an
 * export of a commit, with node_modules linked), $SEASON_AOCBENCH_LABEL names it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { ensureBusyboxImage } from '../runner/demo/busybox-image.ts';
import { DEMO_IMAGE } from '../runner/demo/season.ts';
import { DockerExecutor } from '../runner/executor/docker.ts';
import { replayBench, replayMatrix, type ReplayStats } from './season/aocbench-replay.ts';
import { watchContainerStarts } from './season/docker-events.ts';
import { createSeason, NAME_PREFIX, PARTICIPANTS, SEASON_DAYS, writeAocbenchConfig, type Season } from './season/fixture.ts';

/** The aocbench whose CLI is measured: this checkout, or another (e.g. an export of a commit) named by $SEASON_AOCBENCH_ROOT. */
const ROOT = process.env.SEASON_AOCBENCH_ROOT ?? fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'aocbench.js');
const RUNS = 10;
const OURS = 'aocbench';
const THEIRS = 'AoCBench (replay)';
/** Container names: aocbench-<dirname>-d<day>-… (aocbench), aocbench_<dirname><uniqid> (AoCBench). */
const OUR_CONTAINERS = `aocbench-${NAME_PREFIX}`;
const THEIR_CONTAINERS = `aocbench_${NAME_PREFIX}`;

type Phase = 'first' | 'rerun' | 'matrix';
const PHASES: Array<{ key: Phase; label: string; goal: string }> = [
  { key: 'first', label: `first bench (clone, build, run ${SEASON_DAYS} days)`, goal: '≤ 0.3×' },
  { key: 'rerun', label: 're-run, nothing changed', goal: 'keep' },
  { key: 'matrix', label: 'input matrix (full, forced)', goal: '≤ 0.3×' },
];

interface Measurement {
  ms: number;
  from: number;
  to: number;
  /** What the side itself says it started (aocbench's summary line, the replay's count). */
  ownCount: number | null;
  containers?: number;
  note: string;
}

interface CliRun {
  ms: number;
  from: number;
  to: number;
  code: number | null;
  stdout: string;
  stderr: Array<{ ms: number; line: string }>;
}

function cli(args: string[]): Promise<CliRun> {
  const from = Date.now();
  const t = performance.now();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let partial = '';
    const stderr: CliRun['stderr'] = [];
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) stderr.push({ ms: performance.now() - t, line });
    });
    p.on('close', (code) => {
      if (partial) stderr.push({ ms: performance.now() - t, line: partial });
      resolve({ ms: performance.now() - t, from, to: Date.now(), code, stdout, stderr });
    });
  });
}

function mustSucceed(r: CliRun, what: string): void {
  if (r.code !== 0) throw new Error(`${what} exited with ${r.code}:\n${r.stdout}\n${r.stderr.map((l) => l.line).join('\n').slice(-3000)}`);
}

function docker(...args: string[]): string {
  try {
    return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

/** Every image either side built for this season (their names start with aocbench-s12-). */
function seasonImages(): string[] {
  return docker('images', '--format', '{{.Repository}}:{{.Tag}}').split('\n').filter((r) => r.startsWith(`aocbench-${NAME_PREFIX}`));
}

function removeSeasonImages(): void {
  const images = seasonImages();
  if (images.length) docker('rmi', '-f', ...images);
}

function removeSeasonContainers(): void {
  for (const prefix of [OUR_CONTAINERS, THEIR_CONTAINERS]) {
    const ids = docker('ps', '-aq', '--filter', `name=${prefix}`).split('\n').filter(Boolean);
    if (ids.length) docker('rm', '-f', ...ids);
  }
}

const s = (ms: number) => (ms / 1000).toFixed(1);

/** Which aocbench was measured: its commit, and whether its working tree had changes. */
function describeCheckout(dir: string): string {
  if (process.env.SEASON_AOCBENCH_LABEL) return `${dir}: ${process.env.SEASON_AOCBENCH_LABEL}`;
  try {
    const head = execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['--no-optional-locks', '-C', dir, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${dir} at ${head}${dirty ? ' with uncommitted changes' : ''}`;
  } catch {
    return `${dir} (not a git checkout)`;
  }
}

/**
 * What one exec() costs (start `sh -c 'git …'` and wait): forked by a small
 * shell, as the replay's launcher and PHP's popen() do, and for scale spawned
 * from Node itself, which the replay avoids.
 */
async function spawnCost(n = 100): Promise<{ node: number; sh: number }> {
  const one = () => new Promise((r) => spawn('/bin/sh', ['-c', 'git --version >/dev/null'], { stdio: 'ignore' }).on('close', r));
  let t = performance.now();
  for (let i = 0; i < n; i++) await one();
  const node = (performance.now() - t) / n;
  t = performance.now();
  execFileSync('/bin/sh', ['-c', `i=0; while [ $i -lt ${n} ]; do sh -c 'git --version >/dev/null'; i=$((i+1)); done`]);
  return { node, sh: (performance.now() - t) / n };
}

/** Where aocbench's first bench spends its time, from the arrival times of its progress lines. */
function breakdown(r: CliRun): string {
  const first = r.stderr[0]?.ms ?? r.ms;
  const sandbox = r.stderr.find((l) => l.line.includes('starting the sandbox'))?.ms ?? r.ms;
  const base = `start-up ${s(first)} s (node + tsx + CLI until its first line), sync + image builds ${s(sandbox - first)} s, days run + stored ${s(r.ms - sandbox)} s`;
  // Per day: "[i/N] who day d: starting the sandbox", its steps (runonce, input, prerun, check, timing-runs), then "  who day d: <status>".
  const sum = { start: 0, prepare: 0, check: 0, timed: 0, between: 0 };
  let day: Record<string, number> = {};
  let lastEnd: number | null = null;
  for (const { ms, line } of r.stderr) {
    const step = /^\[\d+\/\d+\] .* day \d+: (starting the sandbox|runonce|input|prerun|check|timing-runs)/.exec(line)?.[1];
    if (step === 'starting the sandbox') {
      if (lastEnd !== null) sum.between += ms - lastEnd;
      day = { start: ms };
    } else if (step) day[step === 'timing-runs' || step === 'check' ? step : 'prepare'] ??= ms;
    else if (/^ {2}\S+ day \d+: /.test(line) && day.start !== undefined) {
      const prepare = day.prepare ?? day.check ?? ms;
      const check = day.check ?? ms;
      const timing = day['timing-runs'] ?? ms;
      sum.start += prepare - day.start;
      sum.prepare += check - prepare;
      sum.check += timing - check;
      sum.timed += ms - timing;
      lastEnd = ms;
      day = {};
    }
  }
  return `${base} = waiting for the day's sandbox ${s(sum.start)} s + runonce/input/prerun ${s(sum.prepare)} s + check runs ${s(sum.check)} s + timed runs, disk check, close, store ${s(sum.timed)} s + between days ${s(sum.between)} s`;
}

const replayBreakdown = (r: ReplayStats) =>
  `git ${s(r.ms.git)} s (${r.processes} processes in all), image inspect/build ${s(r.ms.build)} s, containers ${s(r.ms.containers)} s, other ${s(r.ms.other)} s`;

/** aocbench's own profile (`--verbose`, where the CLI has it): what it prints after its summary line. */
function ownProfile(stdout: string, summaryLine: RegExp): string | null {
  const lines = stdout.split('\n');
  const at = lines.findIndex((l) => summaryLine.test(l));
  const rest = lines.slice(at + 1).join('\n').trim().replace(/^Not benchmarked:[\s\S]*?\n\n/, '');
  return at >= 0 && rest ? rest.split('\n').map((l) => `    ${l}`).join('\n') : null;
}

async function ourRound(root: string, round: number, season: Season, notes: string[], verbose: boolean): Promise<Record<Phase, Measurement>> {
  const dir = join(root, `aocbench-${round}`);
  const config = join(dir, 'aocbench.yaml');
  writeAocbenchConfig(config, join(dir, 'data'), season, RUNS);
  const out = {} as Record<Phase, Measurement>;
  const summary = (r: CliRun) => /(\d+) day\(s\) run in (\d+) container\(s\), (\d+) unchanged/.exec(r.stdout);

  const v = verbose ? ['--verbose'] : [];
  const first = await cli(['bench', '--config', config, ...v]);
  mustSucceed(first, 'aocbench bench');
  const f = summary(first);
  const statuses = new Map<string, number>();
  for (const line of first.stdout.split('\n')) {
    const m = new RegExp(`^${NAME_PREFIX}\\S+\\s+\\d+\\s+(\\S+)`).exec(line);
    if (m) statuses.set(m[1], (statuses.get(m[1]) ?? 0) + 1);
  }
  out.first = { ms: first.ms, from: first.from, to: first.to, ownCount: f ? Number(f[2]) : null, note: `${f?.[1] ?? '?'} days run: ${[...statuses].map(([k, n]) => `${n} ${k}`).join(', ')}` };
  const profile = (r: CliRun, re: RegExp, what: string) => {
    const p = verbose ? ownProfile(r.stdout, re) : null;
    if (p) notes.push(`aocbench ${what}, round 1, its own --verbose profile:\n${p}`);
  };
  if (round === 0) {
    notes.push(`aocbench first bench, round 1, from its progress lines: ${breakdown(first)}`);
    profile(first, /day\(s\) run in/, 'first bench');
  }

  const rerun = await cli(['bench', '--config', config, ...v]);
  mustSucceed(rerun, 'aocbench bench (re-run)');
  const r = summary(rerun);
  out.rerun = { ms: rerun.ms, from: rerun.from, to: rerun.to, ownCount: r ? Number(r[2]) : null, note: `${r?.[1] ?? '?'} days run, ${r?.[3] ?? '?'} unchanged` };
  if (round === 0) notes.push(`aocbench re-run, round 1: ${breakdown(rerun).replace('sync + image builds', 'sync + plan').replace(/ = .*/, '')}`);

  const matrix = await cli(['matrix', '--config', config, '--force', '--no-update', ...v]);
  mustSucceed(matrix, 'aocbench matrix');
  const m = /(\d+) cell\(s\) run in (\d+) container\(s\) \(([^)]*)\), (\d+) unchanged/.exec(matrix.stdout);
  out.matrix = { ms: matrix.ms, from: matrix.from, to: matrix.to, ownCount: m ? Number(m[2]) : null, note: m ? `${m[1]} cells: ${m[3]}` : matrix.stdout.trim() };
  if (round === 0) profile(matrix, /cell\(s\) run in/, 'matrix');
  return out;
}

async function theirRound(root: string, round: number, season: Season, notes: string[]): Promise<Record<Phase, Measurement>> {
  const opts = { root: join(root, `AoCBench-${round}`), participants: season.repos, repeatCount: RUNS };
  const out = {} as Record<Phase, Measurement>;
  const verdicts = (v: Record<string, number>) => Object.entries(v).map(([k, n]) => `${n} ${k}`).join(', ');
  let from = Date.now();
  const first = await replayBench(opts);
  out.first = { ms: first.wallMs, from, to: Date.now(), ownCount: first.containers, note: `${first.daysRun} days run: ${verdicts(first.verdicts)}; ${first.builds} builds` };
  if (round === 0) notes.push(`AoCBench (replay) first bench, round 1: ${replayBreakdown(first)}`);
  from = Date.now();
  const rerun = await replayBench(opts);
  out.rerun = { ms: rerun.wallMs, from, to: Date.now(), ownCount: rerun.containers, note: `${rerun.daysRun} days run, ${rerun.daysSkipped} unchanged` };
  if (round === 0) notes.push(`AoCBench (replay) re-run, round 1: ${replayBreakdown(rerun)}`);
  from = Date.now();
  const matrix = await replayMatrix({ ...opts, force: true, noUpdate: true });
  out.matrix = { ms: matrix.wallMs, from, to: Date.now(), ownCount: matrix.containers, note: `${matrix.cells.length} cells: ${verdicts(matrix.verdicts)}` };
  if (round === 0) notes.push(`AoCBench (replay) matrix, round 1: ${replayBreakdown(matrix)}`);
  return out;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r, n) => {
    const line = r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    return n === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
  }).join('\n');
}

export async function season(): Promise<void> {
  const rounds = Math.max(1, Number(process.env.SEASON_ROUNDS ?? 2));
  const executor = new DockerExecutor(new Docker());
  const problem = await executor.unavailable();
  if (problem) throw new Error(problem);
  await ensureBusyboxImage(executor, DEMO_IMAGE);
  const root = mkdtempSync(join(tmpdir(), 'aocbench-season-'));
  const events = watchContainerStarts();
  const cleanup = () => {
    events.stop();
    removeSeasonContainers();
    removeSeasonImages();
    rmSync(root, { recursive: true, force: true });
  };
  const onSignal = () => {
    cleanup();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const season = createSeason(join(root, 'upstream'));
    // The CLI's own start-up, for scale (the first start also warms tsx's cache; not measured).
    await cli(['--help']);
    const startups: number[] = [];
    for (let i = 0; i < 3; i++) startups.push((await cli(['--help'])).ms);
    const verbose = (await cli(['bench', '--help'])).stdout.includes('--verbose');
    const spawnBefore = await spawnCost();
    const loadBefore = loadavg()[0];

    const results: Record<string, Array<Record<Phase, Measurement>>> = { [OURS]: [], [THEIRS]: [] };
    const notes: string[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const side of [OURS, THEIRS]) {
        removeSeasonImages();
        process.stderr.write(`season: round ${round + 1}/${rounds}, ${side}\n`);
        results[side].push(side === OURS ? await ourRound(root, round, season, notes, verbose) : await theirRound(root, round, season, notes));
      }
    }
    await events.settle();
    for (const [side, prefix] of [[OURS, OUR_CONTAINERS], [THEIRS, THEIR_CONTAINERS]] as const) {
      for (const r of results[side]) for (const p of PHASES) r[p.key].containers = events.count(prefix, r[p.key].from, r[p.key].to);
    }

    const range = (xs: number[], f: (x: number) => string) => {
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      return f(lo) === f(hi) ? f(lo) : `${f(lo)}–${f(hi)}`;
    };
    const cell = (ms: Measurement[]) => `${range(ms.map((m) => m.ms), s)} s, ${range(ms.map((m) => m.containers ?? -1), String)} containers`;
    const rows = [['', OURS, THEIRS, `ratio ${OURS}/AoCBench`, 'goal']];
    for (const p of PHASES) {
      const a = results[OURS].map((r) => r[p.key]);
      const b = results[THEIRS].map((r) => r[p.key]);
      const ratios = a.map((m, i) => m.ms / b[i].ms);
      const best = Math.min(...a.map((m) => m.ms)) / Math.min(...b.map((m) => m.ms));
      rows.push([p.label, cell(a), cell(b), `${best.toFixed(2)}× (rounds ${range(ratios, (x) => x.toFixed(2))}×)`, p.goal]);
    }

    console.log(`## Season: ${PARTICIPANTS.length} participants × ${SEASON_DAYS} days, aocbench against AoCBench, ${rounds} interleaved rounds each`);
    console.log(`AoCBench here is a REPLAY of AoCBench's container and process pattern (bench/season/aocbench-replay.ts: its git`);
    console.log(`calls, docker build, runonce + check + hyperfine containers per day, runonce + bulk container per matrix (solver, day)),`);
    console.log(`driven from Node, not the PHP itself. Both sides: 1 warm-up + ${RUNS} timed runs per day; each first bench from a fresh`);
    console.log('data dir / checkout with all season images removed (both build cold; base image and tools volume kept).');
    console.log(table(rows));
    console.log(`(aocbench: ${describeCheckout(ROOT)})`);
    console.log(`(${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}; 1-minute load average ${loadBefore.toFixed(1)} before the rounds, ${loadavg()[0].toFixed(1)} after)`);
    console.log('');
    console.log(`aocbench CLI start-up alone (--help): ${range(startups, (x) => (x / 1000).toFixed(2))} s, included in every aocbench figure.`);
    for (const n of notes) console.log(n);
    const spawnAfter = await spawnCost();
    const per = (k: 'node' | 'sh') => range([spawnBefore[k], spawnAfter[k]], (x) => x.toFixed(1));
    console.log(`one exec() of \`sh -c 'git --version'\` (before/after the rounds): forked by a small shell, as the replay and PHP do, ${per('sh')} ms; spawned from Node ${per('node')} ms`);
    for (const [side, list] of Object.entries(results)) {
      const last = list[list.length - 1];
      const own = PHASES.map((p) => `${p.key} ${last[p.key].ownCount ?? '?'}`).join(', ');
      console.log(`${side}, last round: first bench ${last.first.note}; re-run ${last.rerun.note}; matrix ${last.matrix.note}; containers by its own count: ${own}`);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    cleanup();
  }
}
