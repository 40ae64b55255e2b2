/**
 * A replay of AoCBench's (ShaneMcC/AoCBench, PHP) `bench.php` and
 * `inputMatrix.php` for V2 (`.aocbench.yaml`) participants: the same
 * processes, in the same order, with the same arguments, driven from Node
 * instead of PHP. It is NOT the PHP: it exists because the PHP cannot run
 * here, so that bench/season.ts can compare against AoCBench's pattern of
 * work on the same machine and the same season. What it replays, after
 * Participant.php, bench.php, inputMatrix.php and functions.php at 9e12e72:
 *
 * - every PHP `exec()` is a `/bin/sh -c` process with the same command line:
 *   the clone or update (fetch, reset @{upstream}, submodule steps), the
 *   cleanup (reset, clean, submodule steps), `lscpu`, `docker image inspect`,
 *   `docker build` with the Dockerfile's directory as context, and the git
 *   look-ups of the day versions (findGitDir + rev-list, uncached, as many
 *   times as bench.php asks for them: days 1..25, hasDay/isWIP each asking again);
 * - every container is a fresh `docker run --init --rm` with the repo
 *   bind-mounted at the code dir and a generated run script as entrypoint:
 *   per day runonce, the check run (`time $cmd`), then hyperfine; in the
 *   matrix per (solver, day) runonce plus one bulkinput container for all inputs;
 * - results.json / outputresults.json are written after every day as saveData does.
 *
 * Differences, all small: `-t` instead of `-it` (PHP gives docker a pty on
 * stdin, Node has none to give); scripts start with `#!/bin/sh` because the
 * busybox image has no bash and this host has no bash-static to mount over
 * it; hyperfine is modelled by a shell loop in the same container (warm-up
 * + N runs of the command, exec'd directly for `-S none`, through `sh -c`
 * for `-S default`, after 50 empty shells as hyperfine's calibration), and
 * its JSON comes from awk instead of `cat`. PHP's own start-up (tens of ms)
 * is not included.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import { parse } from 'yaml';

export interface ReplayOptions {
  /** The AoCBench checkout: participants/ and results/ live here. */
  root: string;
  participants: Array<{ name: string; repo: string }>;
  /** $repeatCount: hyperfine -M (and the `time` fallback's count). */
  repeatCount: number;
  force?: boolean;
  noUpdate?: boolean;
}

type Category = 'git' | 'build' | 'containers' | 'other';

export interface ReplayStats {
  wallMs: number;
  containers: number;
  builds: number;
  processes: number;
  /** Wall time by kind of work. */
  ms: Record<Category, number>;
  daysRun: number;
  daysSkipped: number;
  verdicts: Record<string, number>;
  /** Matrix only: (solver, day, input) → correct / wrong / error. */
  cells: Array<{ solver: string; day: number; input: string; result: string }>;
}

const EXEC_TIMEOUT = 300;

/** PHP's escapeshellarg. */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** PHP's uniqid($prefix, true). */
function uniqid(prefix = ''): string {
  const now = Date.now() * 1000 + Math.floor((performance.now() % 1) * 1000);
  const sec = Math.floor(now / 1e6);
  const usec = now % 1e6;
  return `${prefix}${sec.toString(16).padStart(8, '0')}${usec.toString(16).padStart(5, '0')}.${String(randomBytes(4).readUInt32BE() % 1e8).padStart(8, '0')}`;
}

const pregQuote = (s: string) => s.replace(/[.\\+*?[^\]$(){}=!<>|:#/-]/g, '\\$&');
const answerMatches = (a1: string, a2: string, out: string[]) => new RegExp(`${pregQuote(a1)}.+${pregQuote(a2)}`, 'i').test(out.join(' '));

/** file() with FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES. */
const fileLines = (f: string) => readFileSync(f, 'utf8').split('\n').filter((l) => l !== '');

/**
 * Starts the replay's processes the way PHP's exec()/proc_open() do: a small
 * process (here a long-lived dash) forks `/bin/sh -c <cmd>`. Spawning each
 * from Node instead would fork the much larger Node process every time and
 * add a few ms to every one of AoCBench's thousands of git calls.
 */
const LAUNCHER = `while IFS= read -r dir && IFS= read -r cmd && IFS= read -r mark; do
  cd "$dir" && /bin/sh -c "$cmd" </dev/null 2>/dev/null
  printf '\\n%s %s\\n' "$mark" "$?"
done`;

class Runtime {
  readonly stats: ReplayStats = {
    wallMs: 0, containers: 0, builds: 0, processes: 0, ms: { git: 0, build: 0, containers: 0, other: 0 }, daysRun: 0, daysSkipped: 0, verdicts: {}, cells: [],
  };
  private readonly launcher = spawn('/bin/sh', ['-c', LAUNCHER], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  private buffer = '';
  private waiting: ((text: string) => void) | null = null;
  private mark = '';

  constructor() {
    this.launcher.stdout.setEncoding('utf8');
    this.launcher.stdout.on('data', (d: string) => {
      this.buffer += d;
      const end = this.buffer.indexOf(`\n${this.mark} `);
      const nl = end < 0 ? -1 : this.buffer.indexOf('\n', end + 1);
      if (nl < 0 || !this.waiting) return;
      const text = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      const w = this.waiting;
      this.waiting = null;
      w(text);
    });
  }

  /** PHP exec(): `/bin/sh -c cmd` in `cwd`, stdout lines (trimmed as PHP does), exit code. One at a time. */
  exec(cmd: string, cwd: string, cat: Category, timeoutSec = 0, killName?: string): Promise<{ lines: string[]; code: number }> {
    if (cmd.includes('\n') || cwd.includes('\n')) throw new Error('one-line commands only');
    const t = performance.now();
    this.stats.processes++;
    this.mark = `### launcher ${randomBytes(8).toString('hex')}`;
    const mark = this.mark;
    return new Promise((res) => {
      let timedOut = false;
      const timer = timeoutSec > 0 && killName ? setTimeout(() => {
        timedOut = true;
        spawn('docker', ['kill', killName], { stdio: 'ignore' });
      }, timeoutSec * 1000) : null;
      this.waiting = (text) => {
        if (timer) clearTimeout(timer);
        this.stats.ms[cat] += performance.now() - t;
        const at = text.lastIndexOf(`\n${mark} `);
        const code = Number(text.slice(at + mark.length + 2));
        const out = text.slice(0, at).replace(/\r/g, '').trim();
        const lines = out === '' ? [] : out.split('\n');
        if (timedOut) lines.push('', `*** AOCBench Command timeout (${timeoutSec}) exceeded.`);
        res({ lines, code: timedOut ? 124 : code });
      };
      this.launcher.stdin.write(`${cwd}\n${cmd}\n${mark}\n`);
    });
  }

  close(): void {
    this.launcher.stdin.end();
  }
}

type Section = Record<string, string[]>;

class V2Participant {
  private yaml: Record<string, unknown> | null = null;
  private canary: string | null = null;
  imageInfo: Record<string, string> = {};
  /** The PHP process's working directory (chdir), which relative paths resolve against. */
  cwd: string;

  constructor(
    private readonly rt: Runtime,
    readonly name: string,
    readonly repo: string,
    private readonly participantsDir: string,
  ) {
    this.cwd = participantsDir;
  }

  getDirName(full = false): string {
    const n = this.name.replace(/[^A-Z0-9\-_]/gi, '');
    return full ? `${this.participantsDir}/${n}` : n;
  }

  private p(path: string): string {
    return resolve(this.cwd, path);
  }

  getAOCBenchConfig(): Record<string, unknown> {
    if (this.yaml === null) {
      const f = [`${this.getDirName(true)}/.aocbench.yaml`, `${this.getDirName(true)}/.aocbench.yml`].find((x) => existsSync(x));
      this.yaml = f ? (parse(readFileSync(f, 'utf8')) as Record<string, unknown>) : {};
    }
    return this.yaml;
  }

  isValidParticipant(): true | string {
    const c = this.getAOCBenchConfig();
    if (!Object.keys(c).length) return 'No config found.';
    return String(c.version ?? '') === '1' ? true : 'Unknown config file version';
  }

  /** validateConfig parses the file with Spyc and with Symfony and compares them: no process is run. */
  validateConfig(): 'ok' | 'warning' | 'error' {
    const f = `${this.getDirName(true)}/.aocbench.yaml`;
    const text = readFileSync(f, 'utf8');
    const a = JSON.stringify(parse(text));
    const b = JSON.stringify(parse(text));
    if (a !== b) return 'warning';
    return this.getDockerfile() || this.getAOCBenchConfig().image ? 'ok' : 'error';
  }

  useHyperfine(): boolean {
    return (this.getAOCBenchConfig().hyperfine as boolean | undefined) ?? true;
  }

  getDockerfile(): string | null {
    const c = this.getAOCBenchConfig().dockerfile;
    const locations = c ? (Array.isArray(c) ? c : [c]) : ['.docker/Dockerfile', 'docker/Dockerfile', 'Dockerfile', '.docker/Containerfile', 'docker/Containerfile', 'Containerfile'];
    return (locations as string[]).find((l) => existsSync(this.p(l))) ?? null;
  }

  getDockerImageName(): string | null {
    const image = this.getAOCBenchConfig().image as string | undefined;
    if (image) return image;
    const df = this.getDockerfile();
    if (!df) return null;
    const mtime = Math.floor(statSync(this.p(df)).mtimeMs / 1000);
    return `aocbench-${this.getDirName().toLowerCase()}-${crc32(this.repo)}:${crc32(df)}-${mtime}`;
  }

  getCodeDir(): string {
    return (this.getAOCBenchConfig().code as string | undefined) ?? '/code';
  }

  private replace(value: string, day: number, includeInput = true): string {
    let v = value.replaceAll('%year%', '').replaceAll('%day%', String(day)).replaceAll('%zeroday%', String(day).padStart(2, '0')).replaceAll('%dayzero%', String(day).padStart(2, '0'));
    if (includeInput) v = v.replaceAll('%input%', `${this.getCodeDir()}/${this.getInputFilename(day)}`);
    return v;
  }

  private value(key: string, day: number): string | null {
    const c = this.getAOCBenchConfig()[key];
    return c === undefined || c === null ? null : this.replace(String(c), day, !['daypath', 'inputfile', 'answerfile'].includes(key));
  }

  getDayFilename(day: number): string {
    return this.value('daypath', day) ?? String(day);
  }

  getInputFilename(day: number): string {
    return this.value('inputfile', day) ?? `${this.getDayFilename(day)}/input.txt`;
  }

  getInputAnswerFilename(day: number): string {
    return this.value('answerfile', day) ?? `${this.getDayFilename(day)}/answers.txt`;
  }

  /** `cd <dir>; git rev-parse --git-dir --show-toplevel; git remote get-url origin` */
  async findGitDir(path: string): Promise<string[]> {
    const abs = this.p(path);
    if (!existsSync(abs)) return [];
    const dir = statSync(abs).isDirectory() ? abs : dirname(abs);
    return (await this.rt.exec('git rev-parse --git-dir --show-toplevel; git remote get-url origin', dir, 'git')).lines;
  }

  /** The latest commit touching the paths; findGitDir is asked anew every time, as in the PHP. */
  async getGitVersion(paths: string | string[]): Promise<string | null> {
    const list = Array.isArray(paths) ? paths : [paths];
    let gitDir: string | null = null;
    let cmd = '';
    let valid = false;
    for (const path of list) {
      // glob(): the season's paths have no wildcards.
      if (!existsSync(this.p(path))) continue;
      valid = true;
      const real = realpathSync(this.p(path));
      if (gitDir === null) gitDir = (await this.findGitDir(real))[0] ?? null;
      cmd += ` ${q(real)}`;
    }
    cmd += ' 2>&1';
    if (gitDir === null) gitDir = (await this.findGitDir(this.getDirName(true)))[0] ?? null;
    if (!valid) return null;
    return (await this.rt.exec(`git --git-dir ${q(gitDir ?? '')} rev-list -1 HEAD --${cmd}`, this.cwd, 'git')).lines[0] ?? null;
  }

  getCommonFiles(): string[] {
    const c = this.getAOCBenchConfig().common;
    const common = c ? (Array.isArray(c) ? [...(c as string[])] : [String(c)]) : [];
    const df = this.getDockerfile();
    if (df) common.push(df);
    common.push('./.aocbench.yaml', './.aocbench.yml');
    return common;
  }

  async getDayVersion(day: number): Promise<string> {
    const common = await this.getGitVersion(this.getCommonFiles());
    const dayVersion = await this.getGitVersion(this.getDayFilename(day));
    return `${common ?? ''}:${dayVersion ?? ''}`;
  }

  async hasDay(day: number): Promise<boolean> {
    return existsSync(this.p(this.getDayFilename(day))) && (await this.getDayVersion(day)) !== null;
  }

  async isWIP(day: number): Promise<boolean> {
    if (!(await this.hasDay(day))) return false;
    const f = this.p(this.getDayFilename(day));
    if (statSync(f).isDirectory()) return existsSync(`${f}/.wip`) || existsSync(`${f}/.nobench`);
    return existsSync(`${f}.wip`) || existsSync(`${f}.nobench`);
  }

  isValidFilePath(f: string): boolean {
    return existsSync(this.p(f)) && realpathSync(this.p(f)).startsWith(realpathSync(this.getDirName(true)));
  }

  getInput(day: number): string {
    const f = this.getInputFilename(day);
    return this.isValidFilePath(f) ? readFileSync(this.p(f), 'utf8') : '';
  }

  setInput(day: number, input: string): void {
    const f = this.getInputFilename(day);
    if (this.isValidFilePath(f)) writeFileSync(this.p(f), input);
  }

  getInputAnswer(day: number, part: number): string | null {
    const f = this.getInputAnswerFilename(day);
    if (!this.isValidFilePath(f)) return null;
    return fileLines(this.p(f))[part - 1] ?? null;
  }

  getInputVersion(day: number, includeAnswers = true): Promise<string | null> {
    return this.getGitVersion(includeAnswers ? [this.getInputFilename(day), this.getInputAnswerFilename(day)] : this.getInputFilename(day));
  }

  getInputAnswerVersion(day: number, includeInput = true): Promise<string | null> {
    return this.getGitVersion(includeInput ? [this.getInputFilename(day), this.getInputAnswerFilename(day)] : this.getInputAnswerFilename(day));
  }

  async updateRepo(dir: string): Promise<boolean> {
    let ok = true;
    if (existsSync(`${dir}/.git`)) {
      this.cwd = dir;
      chmodSync(dir, 0o777);
      for (const c of ['git fetch 2>&1', 'git reset --hard @{upstream} 2>&1', 'git submodule foreach git reset --hard 2>&1', 'git submodule update --init --recursive 2>&1']) {
        ok = (await this.rt.exec(c, dir, 'git')).code === 0 && ok;
      }
    } else {
      mkdirSync(dir, { recursive: true });
      ok = (await this.rt.exec(`git clone ${q(this.repo)} ${dir} 2>&1`, this.cwd, 'git')).code === 0;
      this.cwd = dir;
      if (ok) ok = (await this.rt.exec('git submodule update --init --recursive 2>&1', dir, 'git')).code === 0;
      chmodSync(dir, 0o777);
    }
    return ok && existsSync(`${dir}/.git`);
  }

  async prepare(): Promise<true | string[]> {
    this.imageInfo = {};
    const df = this.getDockerfile();
    const name = this.getDockerImageName();
    if (df && name) {
      const inspect = await this.rt.exec(`docker image inspect ${q(name)} >/dev/null 2>&1`, this.cwd, 'build');
      if (inspect.code !== 0) {
        this.rt.stats.builds++;
        const r = await this.rt.exec(`docker build . -t ${q(name)} --file ${q(basename(df))} 2>&1`, this.p(dirname(df)), 'build');
        if (r.code !== 0) return r.lines;
      }
      this.imageInfo = { dockerfile: df, imageName: name };
    }
    mkdirSync(this.p('./.aocbench_run/'), { recursive: true });
    return true;
  }

  async cleanup(): Promise<void> {
    for (const c of ['git reset --hard @{upstream} 2>&1', 'git clean -fx 2>&1', 'git submodule foreach git reset --hard 2>&1', 'git submodule foreach git clean -fx 2>&1']) {
      await this.rt.exec(c, this.cwd, 'git');
    }
  }

  private getCanary(): string {
    this.canary ??= uniqid('AOCBENCH-CANARY-');
    return this.canary;
  }

  private runScript(day: number, type: 'runonce' | 'time' | 'hyperfine' | 'bulkinput', opts: { warmup?: number; max?: number; files?: Record<string, string> }): string {
    const c = this.getAOCBenchConfig();
    const prerun = this.value('prerun', day) ?? '';
    const runonce = this.value('runonce', day) ?? '';
    const cmd = this.value('cmd', day) ?? '';
    const workdir = this.value('workdir', day) ?? (c.code as string | undefined) ?? '';
    const k = this.getCanary();
    const section = (name: string, body: string) => `echo '### ${k} START - ${name} ###';\n${body}\necho '### ${k} END ###';\n`;
    const pre = `#!/bin/sh\n\ncd ${workdir}\n${section('PRE', prerun)}\ncd ${workdir}\n`;
    switch (type) {
      case 'runonce':
        return `#!/bin/sh\n\ncd ${workdir}\necho '### ${k} START - ONCE ###';\n${runonce}\nEXITCODE=\${?}\necho '### ${k} END ###';\n\nexit \${EXITCODE}\n`;
      case 'time':
        return `${pre}\necho '### ${k} START - TIME ###';\ntime ${cmd}\nEXITCODE=\${?}\necho '### ${k} END ###';\n\nexit \${EXITCODE}\n`;
      case 'hyperfine': {
        // hyperfine -S none|default -w W -m min -M max --export-json F -- 'cmd', as a shell loop.
        const shell = (c.hyperfineshell as boolean | undefined) ?? false;
        const run = shell ? `sh -c ${q(cmd)}` : cmd;
        const calibrate = shell ? "c=0; while [ $c -lt 50 ]; do sh -c ''; c=$((c+1)); done\n" : '';
        const max = opts.max ?? 20;
        const loop = `${calibrate}n=0; while [ $n -lt ${opts.warmup ?? 1} ]; do ${run} >/dev/null 2>&1; n=$((n+1)); done\nread T0 REST < /proc/uptime\nn=0; CODES=''\nwhile [ $n -lt ${max} ]; do ${run} >/dev/null 2>&1; CODES="$CODES\${CODES:+,}$?"; n=$((n+1)); done\nread T1 REST < /proc/uptime\nEXITCODE=0; case ",$CODES," in *,[1-9]*) EXITCODE=1;; esac`;
        const json = `awk -v t0="$T0" -v t1="$T1" -v n=${max} -v codes="$CODES" 'BEGIN { m = (t1 - t0) / n; t = ""; for (i = 0; i < n; i++) t = t (i ? "," : "") m; printf "{\\"results\\":[{\\"mean\\":%s,\\"times\\":[%s],\\"exit_codes\\":[%s]}]}\\n", m, t, codes }'`;
        return `${pre}\n${section('HYPERFINEPATH', 'echo /aocbench-hyperfine')}\n${section('HYPERFINEVERSION', "echo 'hyperfine (replayed by a shell loop)'")}\necho '### ${k} START - HYPERFINE ###';\n${loop}\necho '### ${k} END ###';\n\n${section('HYPERFINEDATA', json)}\nexit \${EXITCODE}\n`;
      }
      case 'bulkinput': {
        const inputFile = `${this.getCodeDir()}/${this.getInputFilename(day)}`;
        if (this.isValidFilePath(this.getInputFilename(day))) chmodSync(this.p(this.getInputFilename(day)), 0o777);
        let s = `${pre}\n`;
        for (const f of Object.keys(opts.files ?? {})) {
          s += `echo '### ${k} START - INPUT - ${f} ###';\ncat /.aocbench_run/${f} > ${inputFile}\ntime ${cmd}\nEXITCODE=\${?}\necho '### ${k} END ###';\necho '### ${k} START - EXITCODE - ${f} ###';\necho \${EXITCODE};\necho '### ${k} END ###';\n`;
        }
        return `${s}exit 0;\n`;
      }
    }
  }

  private parseRunOutput(lines: string[]): Section {
    const k = this.getCanary();
    const out: Section = {};
    const unhandled: string[] = [];
    let section: string | null = null;
    for (const line of lines) {
      const t = line.trim();
      const m = t.startsWith(`### ${k} START - `) && t.endsWith(' ###') ? t.slice(`### ${k} START - `.length, -4) : null;
      if (m !== null) {
        section = m;
        out[section] = [];
      } else if (t === `### ${k} END ###`) section = null;
      else if (section !== null) out[section].push(line);
      else unhandled.push(line);
    }
    if (unhandled.length) out._UNHANDLED_OUTPUT = unhandled;
    return out;
  }

  /** One fresh `docker run --init --rm` with the repo bind-mounted and the run script as entrypoint. */
  async doRun(day: number, type: 'runonce' | 'time' | 'hyperfine' | 'bulkinput', opts: { warmup?: number; max?: number; estimated?: number; files?: Record<string, string> } = {}): Promise<[number, Section]> {
    const image = this.getDockerImageName();
    if (!image) return [1, { ERROR: ['AoCBench Error: Unable to find docker image.'] }];
    const containerName = `aocbench_${uniqid(this.getDirName().toLowerCase())}`;
    const pwd = this.cwd;
    const script = `./.aocbench_run/aocbench-${uniqid('1')}.sh`;
    writeFileSync(this.p(script), this.runScript(day, type, opts));
    chmodSync(this.p(script), 0o777);
    const extra = `${pwd}/.aocbench_run/.aocbench_run/`;
    rmSync(extra, { recursive: true, force: true });
    mkdirSync(extra);
    chmodSync(extra, 0o777);
    for (const [f, content] of Object.entries(opts.files ?? {})) {
      writeFileSync(`${extra}/${f}`, content);
      chmodSync(`${extra}/${f}`, 0o777);
    }
    let cmd = 'docker run --init --rm  -t';
    cmd += ` --name ${q(containerName)} --entrypoint /aocbench.sh`;
    cmd += ` -v ${q(`${pwd}:${this.getCodeDir()}`)}`;
    cmd += ` -v ${q(`${extra}:/.aocbench_run`)}`;
    cmd += ` -v ${q(`${pwd}/${script}:/aocbench.sh`)}`;
    for (const env of (this.getAOCBenchConfig().environment as string[] | undefined) ?? []) {
      const i = env.indexOf('=');
      cmd += ` -e ${q(i < 0 ? `${env}=` : `${env.slice(0, i)}=${this.replace(env.slice(i + 1), day)}`)}`;
    }
    cmd += ` ${q(image)} 2>&1`;
    const timeout = type === 'hyperfine' ? Math.ceil(opts.estimated ?? EXEC_TIMEOUT) * (opts.max ?? 20) + 60
      : type === 'bulkinput' ? Math.ceil(opts.estimated ?? EXEC_TIMEOUT) * Object.keys(opts.files ?? {}).length + 60
        : EXEC_TIMEOUT;
    this.rt.stats.containers++;
    const r = await this.rt.exec(cmd, pwd, 'containers', timeout, containerName);
    unlinkSync(this.p(script));
    return [r.code, this.parseRunOutput(r.lines)];
  }

  async runOnce(day: number): Promise<[number, string[]]> {
    const [ret, r] = await this.doRun(day, 'runonce');
    return [ret, r.ONCE ?? []];
  }

  async run(day: number): Promise<[number, string[]]> {
    const [ret, r] = await this.doRun(day, 'time');
    return [ret, r.TIME ?? []];
  }

  async runHyperfine(day: number, opts: { max: number; warmup: number; min: number; estimated: number }): Promise<[number, { results?: Array<{ times?: number[]; exit_codes?: number[] }> } | null]> {
    const [ret, r] = await this.doRun(day, 'hyperfine', opts);
    try {
      return [ret, JSON.parse((r.HYPERFINEDATA ?? []).join('\n'))];
    } catch {
      return [ret, null];
    }
  }
}

function loadData(file: string): Record<string, any> {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { results: {} };
}

/** functions.php saveData: encode, write a temp file, read it back, replace. */
function saveData(file: string, data: Record<string, any>, setTime: boolean): void {
  if (setTime || data.time === undefined) data.time = Math.floor(Date.now() / 1000);
  const json = JSON.stringify(data);
  writeFileSync(`${file}.tmp`, json);
  if (readFileSync(`${file}.tmp`, 'utf8') === json) {
    rmSync(file, { force: true });
    renameSync(`${file}.tmp`, file);
  }
}

const now = () => Math.floor(Date.now() / 1000);

function setup(o: ReplayOptions) {
  const rt = new Runtime();
  const participantsDir = resolve(o.root, 'participants');
  mkdirSync(participantsDir, { recursive: true });
  mkdirSync(resolve(o.root, 'results'), { recursive: true });
  return { rt, participantsDir, participants: o.participants.map((p) => new V2Participant(rt, p.name, p.repo, participantsDir)) };
}

function finish(rt: Runtime, started: number): ReplayStats {
  rt.stats.wallMs = performance.now() - started;
  rt.stats.ms.other = rt.stats.wallMs - rt.stats.ms.git - rt.stats.ms.build - rt.stats.ms.containers;
  return rt.stats;
}

/** bench.php (with hyperfine working): per participant update, prepare, days 1..25, cleanup. */
export async function replayBench(o: ReplayOptions): Promise<ReplayStats> {
  const started = performance.now();
  const { rt, participantsDir, participants } = setup(o);
  try {
    const resultsFile = resolve(o.root, 'results/results.json');
    const data = loadData(resultsFile);
    data.starttime = now();
    data.hardware = (await rt.exec('lscpu 2>&1', o.root, 'other')).lines.join('\n');
    data.healthcheck ??= {};
    let hasRun = false;

    // getInput(): cached per day. The first configured participant is always the source (getInput never returns FALSE).
    const inputCache = new Map<number, [string, string | null, string | null, string]>();
    const getInput = (day: number) => {
      if (!inputCache.has(day)) {
        const src = participants[0];
        const cwd = src.cwd;
        src.cwd = src.getDirName(true);
        inputCache.set(day, [src.getInput(day), src.getInputAnswer(day, 1), src.getInputAnswer(day, 2), src.getDirName()]);
        src.cwd = cwd;
      }
      return inputCache.get(day)!;
    };

    for (const participant of participants) {
      const person = participant.getDirName();
      const health: Record<string, any> = (data.healthcheck[person] ??= {});
      Object.assign(health, { name: participant.name, repo: participant.repo, branch: null, dirname: person });
      const dir = `${participantsDir}/${person}`;
      if (!o.noUpdate && !(await participant.updateRepo(dir))) continue;
      participant.cwd = dir;
      Object.assign(health, { participanttype: 2, config: participant.getAOCBenchConfig(), image: participant.imageInfo });
      if (participant.isValidParticipant() !== true) continue;
      if (participant.validateConfig() === 'error') continue;
      if ((await participant.prepare()) !== true) continue;
      const results: Record<string, any> = (data.results[person] ??= { days: {} });
      Object.assign(results, { name: participant.name, repo: participant.repo, subheading: '', language: participant.getAOCBenchConfig().language ?? '' });

      for (let day = 1; day <= 25; day++) {
        const dh: Record<string, any> = ((health.days ??= {})[day] ??= {});
        dh.version = await participant.getDayVersion(day);
        dh.exists = await participant.hasDay(day);
        dh.wip = await participant.isWIP(day);
        dh.ignored = false;
        dh.path = participant.getDayFilename(day);
        const inputFilename = participant.getInputFilename(day);
        const answerFilename = participant.getInputAnswerFilename(day);
        let abort: string | false = false;
        if (!(await participant.hasDay(day))) abort = 'noDay';
        if (await participant.isWIP(day)) abort = 'isWip';
        if (!existsSync(resolve(dir, inputFilename))) abort = 'noInput';
        if (!existsSync(resolve(dir, answerFilename))) abort = 'noAnswer';
        if (abort) {
          dh.log = `Not run - missing/wip/ignored. (${abort})`;
          delete results.days[day];
          continue;
        }
        const inputGit = await participant.findGitDir(inputFilename);
        dh.input = { version: await participant.getInputVersion(day, false), path: inputFilename, gitRepoURL: inputGit[2] };
        const answerGit = await participant.findGitDir(answerFilename);
        const answers = [participant.getInputAnswer(day, 1), participant.getInputAnswer(day, 2)];
        dh.answers = { version: await participant.getInputAnswerVersion(day, false), path: answerFilename, gitRepoURL: answerGit[2], part1: !!answers[0], part2: !!answers[1] };
        const thisDay: Record<string, any> = results.days[day] ?? { times: [], time: now() };

        const [input, answer1, answer2, sourceName] = getInput(day);
        const checkOutput = answer1 !== null && answer2 !== null;
        let testInputVersion = crc32(JSON.stringify([checkOutput, input, answer1, answer2, sourceName]));
        const currentVersion = thisDay.version ?? 'Unknown';
        let skip = thisDay.testInputVersion !== undefined ? testInputVersion === thisDay.testInputVersion : thisDay.times?.length > 0 && (!checkOutput || checkOutput === (thisDay.checkedOutput ?? false));
        skip = (currentVersion === (await participant.getDayVersion(day))) && skip;
        if (o.force) skip = false;
        if (skip) {
          rt.stats.daysSkipped++;
          continue;
        }
        rt.stats.daysRun++;
        dh.log = '';
        let needsInputSet = false;
        if (input) needsInputSet = true;
        else testInputVersion = crc32(JSON.stringify([false, null, null, null, null]));
        dh.testInputVersion = testInputVersion;

        thisDay.times = [];
        let failedRun = false;
        let saveResult = false;
        let allowHyperfine = participant.useHyperfine();
        thisDay.image = participant.imageInfo;
        let lastRunTime = 0;
        let verdict = 'ok';
        for (let i = 0; i <= o.repeatCount; i++) {
          if (i === 1 && allowHyperfine) {
            dh.log += ` ${i}H`;
            const opts = { max: o.repeatCount, warmup: 1, min: Math.min(5, o.repeatCount), estimated: lastRunTime };
            const [, hf] = await participant.runHyperfine(day, opts);
            const r0 = hf?.results?.[0];
            if (r0?.times && r0.times.length > 1 && (r0.exit_codes ?? []).reduce((a, b) => a + b, 0) === 0) {
              thisDay.times = r0.times.map((t) => `0m${t}s`);
              saveResult = true;
              hasRun = true;
              dh.runtype = 'hyperfine';
              break;
            }
            dh.log += 'F';
          }
          if (i === 0) {
            const [ret, out] = await participant.runOnce(day);
            dh.log += ' R';
            thisDay.runOnce = out;
            dh.runonce = ret === 0;
            if (ret !== 0) {
              failedRun = true;
              verdict = 'runonce failed';
              break;
            }
          }
          if (needsInputSet) {
            participant.setInput(day, input);
            needsInputSet = false;
          }
          const start = now();
          dh.log += ` ${i}`;
          const [ret, out] = await participant.run(day);
          lastRunTime = now() - start;
          if (i === 0) thisDay.firstRun = out;
          if (ret !== 0) {
            dh.runtype = 'fail';
            failedRun = true;
            verdict = 'fail';
            break;
          }
          dh.runtype = 'time';
          if (checkOutput && !answerMatches(answer1!, answer2!, out)) {
            dh.runtype = 'incorrect';
            dh.log += 'I';
            failedRun = true;
            verdict = 'incorrect';
            break;
          }
          if (i > 0) {
            const real = out.slice(Math.max(0, out.length - 5), -1).map((l) => /^real\s+([0-9]+m[0-9]+\.[0-9]{3}s)$/.exec(l.trim())?.[1]).filter(Boolean);
            thisDay.times.push(real.pop() ?? '999m9.999s');
            saveResult = true;
            hasRun = true;
          }
        }
        rt.stats.verdicts[verdict] = (rt.stats.verdicts[verdict] ?? 0) + 1;
        if (failedRun || saveResult) {
          const existing = results.days[day] ?? {};
          if (existing.times?.length) thisDay.previousTimes = [{ times: existing.times, time: existing.time, version: existing.version }, ...(existing.previousTimes ?? [])].slice(0, 10);
          if (failedRun) delete thisDay.times;
          else Object.assign(thisDay, { checkedOutput: checkOutput, long: false, reallyLong: false });
          thisDay.time = now();
          thisDay.version = await participant.getDayVersion(day);
          thisDay.testInputVersion = testInputVersion;
          results.days[day] = thisDay;
        }
        saveData(resultsFile, data, hasRun);
      }
      await participant.cleanup();
      saveData(resultsFile, data, hasRun);
    }
    data.finishtime = now();
    saveData(resultsFile, data, hasRun);
    return finish(rt, started);
  } finally {
    rt.close();
  }
}

/** inputMatrix.php (as run.sh calls it: --no-update; with --force: every cell). */
export async function replayMatrix(o: ReplayOptions): Promise<ReplayStats> {
  const started = performance.now();
  const { rt, participantsDir, participants } = setup(o);
  try {
    const file = resolve(o.root, 'results/outputresults.json');
    const data = loadData(file);
    data.starttime = now();
    let hasRun = false;

    // Inputs of every participant.
    const inputs = new Map<number, Map<string, { input: string; version: string | null; answer1: string | null; answer2: string | null }>>();
    for (const participant of participants) {
      const person = participant.getDirName();
      const dir = `${participantsDir}/${person}`;
      if (!o.noUpdate && !(await participant.updateRepo(dir))) continue;
      participant.cwd = dir;
      participant.isValidParticipant();
      for (let day = 1; day <= 25; day++) {
        const input = participant.getInput(day);
        if (!input) continue;
        if (!inputs.has(day)) inputs.set(day, new Map());
        inputs.get(day)!.set(person, { input, version: await participant.getInputVersion(day), answer1: participant.getInputAnswer(day, 1), answer2: participant.getInputAnswer(day, 2) });
      }
    }

    for (const participant of participants) {
      const person = participant.getDirName();
      const dir = `${participantsDir}/${person}`;
      participant.cwd = dir;
      if (participant.isValidParticipant() !== true) continue;
      if (participant.validateConfig() === 'error') continue;
      if ((await participant.prepare()) !== true) continue;
      const results: Record<string, any> = (data.results[person] ??= { days: {} });
      Object.assign(results, { name: participant.name, repo: participant.repo, subheading: '', language: participant.getAOCBenchConfig().language ?? '' });
      for (let day = 1; day <= 25; day++) {
        const inputFilename = participant.getInputFilename(day);
        const answerFilename = participant.getInputAnswerFilename(day);
        let abort = false;
        if (!(await participant.hasDay(day))) abort = true;
        if (await participant.isWIP(day)) abort = true;
        if (!existsSync(resolve(dir, inputFilename))) abort = true;
        if (!existsSync(resolve(dir, answerFilename))) abort = true;
        if (abort) {
          delete results.days[day];
          continue;
        }
        const thisDay: Record<string, any> = results.days[day] ?? { outputs: {} };
        let skip = (thisDay.version ?? 'Unknown') === (await participant.getDayVersion(day));
        if (o.force) skip = false;
        const dayInputs = inputs.get(day) ?? new Map();
        const bulkFiles: Record<string, string> = {};
        for (const [who, inp] of dayInputs) {
          if (skip && thisDay.outputs[who]?.version === inp.version) continue;
          bulkFiles[who] = inp.input;
        }
        let bulk: Section | null = null;
        let preRunFail = false;
        if (Object.keys(bulkFiles).length) {
          rt.stats.daysRun++;
          const [ret] = await participant.runOnce(day);
          if (ret !== 0) preRunFail = true;
          else {
            const [bret, b] = await participant.doRun(day, 'bulkinput', { files: bulkFiles });
            bulk = b;
            if (bret !== 0) preRunFail = true;
          }
        } else rt.stats.daysSkipped++;
        for (const [who, inp] of dayInputs) {
          if (preRunFail) break;
          if (skip && thisDay.outputs[who]?.version === inp.version) continue;
          participant.setInput(day, inp.input);
          const out = bulk?.[`INPUT - ${who}`];
          if (!out) break;
          const ret = parseInt((bulk?.[`EXITCODE - ${who}`] ?? []).join(''), 10) || 0;
          hasRun = true;
          thisDay.outputs[who] = { version: inp.version, return: ret, output: out, time: now() };
          let result = ret === 0 ? 'no answers' : 'error';
          if (ret === 0 && inp.answer1 !== null && inp.answer2 !== null) {
            const correct = answerMatches(inp.answer1, inp.answer2, out) ? 1 : 0;
            thisDay.outputs[who].correct = correct;
            result = correct ? 'correct' : 'wrong';
          }
          rt.stats.cells.push({ solver: person, day, input: who, result });
          if (ret === 124) break;
        }
        for (const name of Object.keys(thisDay.outputs)) if (!dayInputs.has(name)) delete thisDay.outputs[name];
        thisDay.version = await participant.getDayVersion(day);
        thisDay.time = now();
        results.days[day] = thisDay;
        saveData(file, data, hasRun);
      }
      await participant.cleanup();
      saveData(file, data, hasRun);
    }
    data.finishtime = now();
    saveData(file, data, hasRun);
    for (const c of rt.stats.cells) rt.stats.verdicts[c.result] = (rt.stats.verdicts[c.result] ?? 0) + 1;
    return finish(rt, started);
  } finally {
    rt.close();
  }
}
