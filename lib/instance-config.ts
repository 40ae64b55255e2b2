import { resolve } from 'node:path';
import { z } from 'zod';
import { isMap, LineCounter, parseDocument, type Node } from 'yaml';
import { defaultDayCount } from './days.ts';
import { checkRepoUrl } from './repo-url.ts';

const encryptionSchema = z
  .object({
    type: z.literal('transcrypt'),
    /** The password itself, or… */
    password: z.string().min(1).optional(),
    /** …the name of an environment variable that holds it, so the secret need not sit in this file. */
    passwordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
    cipher: z.string().default('aes-256-cbc'),
    /** Key derivation: OpenSSL's classic MD5 (transcrypt's default) or PBKDF2; unset tries both. */
    kdf: z.enum(['md5', 'pbkdf2']).optional(),
    digest: z.string().default('sha256'),
    iterations: z.number().int().min(1).default(10_000),
  })
  .strict()
  .refine((e) => (e.password === undefined) !== (e.passwordEnv === undefined), 'give exactly one of password and passwordEnv');

/** A folder inside the participant's repository: relative, never leaving it. */
const folderSchema = z.string().min(1).refine((f) => !f.startsWith('/') && !f.split('/').includes('..') && !f.includes('\0'), 'a folder inside the repository (relative, no "..")');

const participantSchema = z
  .object({
    name: z.string().min(1).regex(/^[^/\\\0]+$/, 'must not contain slashes'),
    repo: z.string().superRefine((url, ctx) => {
      const problem = checkRepoUrl(url);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    branch: z.string().min(1).optional(),
    subheading: z.string().optional(),
    ignoreDays: z.array(z.number().int().positive()).default([]),
    /** Days whose input others must not use (e.g. known to be malformed): not shared, not in the matrix. */
    ignoreInputs: z.array(z.number().int().positive()).default([]),
    /** Keys merged over the repository's `.aocbench.yaml` (admin override). */
    config: z.record(z.string(), z.unknown()).optional(),
    /** Network during runonce only (installing packages, fetching crates); timed runs never have it. Docker executor only. */
    runonceNetwork: z.boolean().default(false),
    encryption: encryptionSchema.optional(),
    /** Where this participant's own news goes (a day that broke, a build that failed); otherwise the instance's targets. */
    notify: z.lazy(() => notifyTargetSchema).optional(),
    /** The season's folder inside the repository, which then acts as its root (`%year%` allowed): ".aocbench.yaml", days and Dockerfile are read there. */
    path: folderSchema.optional(),
    /** The seasons this participant takes part in (all by default), each with its own path, branch or repo if given. */
    seasons: z.array(z.lazy(() => participantSeasonSchema)).optional(),
  })
  .strict();

const participantSeasonSchema = z.union([
  z.number().int().min(2015).max(2100),
  z.object({ year: z.number().int().min(2015).max(2100), path: folderSchema.optional(), branch: z.string().min(1).optional(), repo: z.string().optional() }).strict(),
]);

/** One Advent of Code year of a multi-season instance (lib/seasons.ts). */
const seasonSchema = z
  .object({
    year: z.number().int().min(2015).max(2100),
    days: z.number().int().min(1).max(25).optional(),
    /** A finished year: the daemon does not sync or run it; `aocbench bench --season YEAR` still does. */
    frozen: z.boolean().default(false),
    /** This season's own inputs dir; default <inputsDir>/<year> (or inputsDir with %year% expanded). */
    inputsDir: z.string().optional(),
    ignoreAnswers: z.array(z.union([z.string(), z.number()])).optional(),
    /** Participants of this season only, besides the instance's shared list. */
    participants: z.array(participantSchema).default([]),
  })
  .strict();

const repeatSchema = z
  .object({
    /** A fixed count of timed runs per day. Unset: adaptive, until the interval is tight (below). */
    runs: z.number().int().min(1).optional(),
    /**
     * Adaptive runs stop once the median's 95% interval is within ± this share of it (0.05: ±5%)...
     * ±5% separates solutions a tenth apart, and a steady day (a few per cent per run) gets there in
     * 10-15 runs, fewer than a fixed 20; ±3% needs 25 runs at 5% per run, 60 at 8%.
     */
    targetCi: z.number().positive().max(1).default(0.05),
    /** ...after at least minRuns and at most maxRuns runs, and within budgetSec seconds of timed runs per day. */
    minRuns: z.number().int().min(3).default(10),
    maxRuns: z.number().int().min(3).default(200),
    budgetSec: z.number().positive().default(30),
    warmup: z.number().int().min(0).default(1),
    longAfterSec: z.number().positive().default(10),
    longRuns: z.number().int().min(1).default(10),
    veryLongAfterSec: z.number().positive().default(60),
    veryLongRuns: z.number().int().min(1).default(2),
    timeoutSec: z.number().positive().default(300),
  })
  .strict()
  .refine((r) => r.minRuns <= r.maxRuns, { message: 'repeat.minRuns must not be above repeat.maxRuns', path: ['minRuns'] });

const limitsSchema = z
  .object({
    memoryMb: z.number().int().min(16).default(4096),
    pids: z.number().int().min(8).default(512),
    outputKb: z.number().int().min(1).default(1024),
    /** Disk the code copy and the persistence dirs of one session may use together. */
    diskMb: z.number().int().min(1).default(4096),
    cpus: z.number().positive().optional(),
  })
  .strict();

const customInputsSchema = z
  .object({
    /** Bearer tokens that may submit custom inputs (besides the admin token). */
    tokens: z.array(z.string().min(16, 'tokens must be at least 16 characters')).default([]),
    maxKb: z.number().int().min(1).default(1024),
  })
  .strict();

const daemonSchema = z.object({ pollMinutes: z.number().positive().default(5) }).strict();

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Where news goes (lib/news.ts): a Discord or Slack incoming webhook, or a
 * generic JSON webhook signed with HMAC-SHA256. The URL is a secret: only the
 * name of the environment variable holding it is in the config.
 */
export const notifyTargetSchema = z
  .object({
    kind: z.enum(['webhook', 'discord', 'slack']),
    urlEnv: z.string().regex(ENV_NAME, 'the name of an environment variable'),
    /** webhook only: the variable holding the HMAC key; the body's HMAC-SHA256 is sent as `X-Aocbench-Signature: sha256=<hex>`. */
    secretEnv: z.string().regex(ENV_NAME, 'the name of an environment variable').optional(),
  })
  .strict()
  .refine((t) => t.kind === 'webhook' || !t.secretEnv, { message: 'secretEnv is for kind: webhook (Discord and Slack URLs are their own secret)' });

const webhooksSchema = z
  .object({
    /** The secret of GitHub webhooks (`X-Hub-Signature-256`), or the environment variable holding it. */
    githubSecret: z.string().min(8).optional(),
    githubSecretEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
  })
  .strict();

export const vmSchema = z
  .object({
    /** Guest memory; the sandbox's own limit (limits.memoryMb) applies inside it. Default: limits.memoryMb + 256. */
    memoryMb: z.number().int().min(64).optional(),
    /** Host CPUs the vCPUs are pinned to, one vCPU each: "2-3", "2,4", "3". */
    cpus: z.string().regex(/^\d+(-\d+)?(,\d+(-\d+)?)*$/, 'a CPU list such as "2-3" or "2,4"').optional(),
    /** Back guest memory with the host's reserved hugepages (/dev/hugepages). */
    hugepages: z.boolean().default(false),
    /** kvm, tcg (software emulation: only proves that it works), or auto (KVM when a guest really boots on it). */
    accel: z.enum(['auto', 'kvm', 'tcg']).default('auto'),
    /** A kernel (vmlinuz) and its modules dir; default: a Debian linux-image-*-cloud-amd64 unpacked in <dataDir>/vm/kernel. */
    kernel: z.string().optional(),
    modules: z.string().optional(),
    /** An initramfs to use instead of aocbench's own (it must do what runner/executor/vm/guest-init.sh does). */
    initrd: z.string().optional(),
  })
  .strict();

const buildSchema = z
  .object({
    /** Dockerfile builds reach the network (pip install, apt-get install); off: builds run with no network. */
    network: z.boolean().default(true),
    /** A build still running after this is stopped: `RUN sleep 3600` must not hold a cycle. */
    timeoutSec: z.number().int().min(1).default(1800),
    /** A built image larger than this is removed, and the build stopped at the first step over it. */
    maxImageMb: z.number().int().min(1).default(10240),
  })
  .strict();

/** How a participant's repository is read on the host (docs/security.md, "Participant git"). */
const gitSchema = z
  .object({
    /** Most committed files (submodules included) a repository may have; a git bomb stops here. */
    maxEntries: z.number().int().min(1).default(100_000),
    /** Most bytes all committed files may add up to. */
    maxMb: z.number().int().min(1).default(1024),
    /** Largest single committed file (GitHub's own limit is 100 MB). */
    maxBlobMb: z.number().int().min(1).default(100),
    /** Deadline of each git command (a fetch included). */
    timeoutSec: z.number().positive().default(600),
    /** Hosts submodules may come from besides the participant's own repository host; "*" allows any. */
    submoduleHosts: z.array(z.string().min(1)).default([]),
    /** An SSH key for the participants' own ssh:// and user@host: URLs (never for submodules); no agent, no ~/.ssh is used. */
    sshKeyFile: z.string().min(1).optional(),
  })
  .strict();

const webSchema = z
  .object({
    /**
     * The site is reached through a reverse proxy the operator runs: its
     * X-Forwarded-For names the client (login rate limits) and its
     * X-Forwarded-Proto says whether the browser used TLS (Secure cookies).
     */
    trustProxy: z.boolean().default(false),
    /** Always mark the admin cookie Secure (the site is only ever served over TLS). */
    secureCookies: z.boolean().default(false),
  })
  .strict();

/** Hardware class names become queue names: lower-case words. */
export const HARDWARE_CLASS = /^[a-z0-9][a-z0-9-]{0,39}$/;

const REDIS_URL = /^rediss?:\/\/\S+$/;

const queueSchema = z
  .object({
    /** The Redis that carries the jobs between the coordinator and the workers (redis:// or rediss://). */
    url: z.string().regex(REDIS_URL, 'a redis:// or rediss:// URL').optional(),
    /** Or the environment variable that holds that URL: its password then stays out of the config file. */
    urlEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
    /** The environment variable holding the key workers sign results with and the coordinator checks them with… */
    resultKeyEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
    /** …or a file holding it (a Docker secret, say): only workers and the coordinator hold it, so Redis access alone cannot forge a time. */
    resultKeyFile: z.string().min(1).optional(),
    /** The benchmark hosts this instance's timed jobs go to; results compare only within one class. */
    hardwareClass: z.string().regex(HARDWARE_CLASS, 'lower-case letters, digits and dashes').default('default'),
    /** Keys and queues live under this prefix, so instances can share one Redis. */
    prefix: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).default('aocbench'),
    /** A worker silent this long (killed, host gone) loses its job to another worker. */
    stallSeconds: z.number().min(1).max(3600).default(30),
  })
  .strict()
  .refine((q) => !!q.url !== !!q.urlEnv, { message: 'give either url or urlEnv (the variable that holds the URL)' })
  .refine((q) => !!q.resultKeyEnv !== !!q.resultKeyFile, {
    message:
      'give either resultKeyEnv (the environment variable that holds the result-signing key) or resultKeyFile (a file that holds it): ' +
      'workers sign results with it and the coordinator stores only results that verify, so write access to Redis alone cannot forge a time (a random string of 16+ characters, e.g. `openssl rand -hex 32`)',
  });

/** The queue's Redis URL: `url`, or the value of the variable `urlEnv` names. */
export function queueUrl(q: QueueConfig, env: Record<string, string | undefined>): string {
  if (q.url) return q.url;
  const v = env[q.urlEnv!];
  if (!v) throw new Error(`queue.urlEnv: the environment variable ${q.urlEnv} is not set (it should hold the redis:// URL)`);
  if (!REDIS_URL.test(v)) throw new Error(`queue.urlEnv: ${q.urlEnv} does not hold a redis:// or rediss:// URL`);
  return v;
}

const adminSchema = z
  .object({
    /** `scrypt$salt$hash` from `aocbench hash-password`; otherwise $AOCBENCH_ADMIN_PASSWORD is the password. */
    passwordHash: z.string().regex(/^scrypt\$[0-9a-f]+\$[0-9a-f]+$/, 'must come from `aocbench hash-password`').optional(),
  })
  .strict();

export const instanceSchema = z
  .object({
    /** A single-year instance; or `seasons:` for several years in one site. */
    year: z.number().int().min(2015).max(2100).optional(),
    seasons: z.array(seasonSchema).min(1).optional(),
    days: z.number().int().min(1).max(25).optional(),
    dataDir: z.string().default('data'),
    inputsDir: z.string().default('inputs'),
    podium: z.boolean().default(true),
    leaderboardId: z.union([z.string(), z.number()]).optional(),
    repeat: repeatSchema.default(repeatSchema.parse({})),
    limits: limitsSchema.default(limitsSchema.parse({})),
    /** AoCBench `ignoreResult`: "10" skips the check of day 10, "10/1" part 1 only. */
    ignoreAnswers: z.array(z.union([z.string(), z.number()])).default([]),
    customInputs: customInputsSchema.default(customInputsSchema.parse({})),
    daemon: daemonSchema.default(daemonSchema.parse({})),
    webhooks: webhooksSchema.default({}),
    admin: adminSchema.default({}),
    web: webSchema.default(webSchema.parse({})),
    build: buildSchema.default(buildSchema.parse({})),
    git: gitSchema.default(gitSchema.parse({})),
    /** Where solutions run: Docker containers, or a pinned-memory VM per day (docs/vm.md). */
    executor: z.enum(['docker', 'vm']).default('docker'),
    vm: vmSchema.default(vmSchema.parse({})),
    /** Several benchmark hosts: the coordinator queues (participant, day) jobs and `aocbench worker`s run them (docs/deploy.md). */
    queue: queueSchema.optional(),
    /** Targets of the board's news (podium places, a new leader, personal bests, first solves, breakage): one message per target per cycle. */
    notify: z.array(notifyTargetSchema).default([]),
    participants: z.array(participantSchema).default([]),
  })
  .strict()
  .refine((c) => (c.year === undefined) !== (c.seasons === undefined), { message: 'give either year: (one season) or seasons: (several), not both' })
  .refine((c) => new Set((c.seasons ?? []).map((s) => s.year)).size === (c.seasons ?? []).length, { message: 'each year may be listed once', path: ['seasons'] });

export type SeasonEntry = z.infer<typeof seasonSchema>;
/**
 * One season's view of the instance (lib/seasons.ts): `year`, `days` and
 * `participants` are that season's; `seasons` lists every season, newest first.
 */
export type InstanceConfig = Omit<z.infer<typeof instanceSchema>, 'year' | 'seasons' | 'participants'> & { year: number; days: number; seasons: SeasonEntry[]; seasonal: boolean; participants: ParticipantEntry[] };
/** After a season's view: `path` and `branch` expanded for its year, `clone` names its clone (shared by seasons of one repository and branch). */
export type ParticipantEntry = z.infer<typeof participantSchema> & { clone?: string };
export type RepeatPolicy = z.infer<typeof repeatSchema>;
export type Limits = z.infer<typeof limitsSchema>;
export type EncryptionConfig = z.infer<typeof encryptionSchema>;
export type VmConfig = z.infer<typeof vmSchema>;

/** A VM guest's memory: `vm.memoryMb`, else the sandbox's limit and room for the guest kernel and agent. */
export const guestMemoryMb = (vm: Pick<VmConfig, 'memoryMb'>, sandboxMemoryMb: number): number => vm.memoryMb ?? sandboxMemoryMb + 256;
export type QueueConfig = z.infer<typeof queueSchema>;
export type NotifyTarget = z.infer<typeof notifyTargetSchema>;
export type GitConfig = z.infer<typeof gitSchema>;

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function nodeLine(doc: ReturnType<typeof parseDocument>, lc: LineCounter, path: PropertyKey[]): number | null {
  for (let i = path.length; i >= 0; i--) {
    const node = doc.getIn(path.slice(0, i) as Array<string | number>, true) as Node | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) return lc.linePos(node.range[0]).line;
  }
  return null;
}

function keyLine(doc: ReturnType<typeof parseDocument>, lc: LineCounter, path: PropertyKey[], key: string): number | null {
  const parent = path.length ? doc.getIn(path as Array<string | number>, true) : doc.contents;
  if (isMap(parent)) {
    const pair = parent.items.find((p) => (p.key as { value?: unknown })?.value === key);
    const k = pair?.key as Node | undefined;
    if (k?.range) return lc.linePos(k.range[0]).line;
  }
  return nodeLine(doc, lc, path);
}

/** Parses and validates instance config text; errors name the key path and the line. */
export function parseInstanceConfig(text: string, file = 'aocbench.yaml'): InstanceConfig {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true });
  if (doc.errors.length) throw new ConfigError(file, doc.errors.map((e) => e.message));
  const result = instanceSchema.safeParse(doc.toJS() ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const unknown = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const where = unknown.length
        ? keyLine(doc, lc, issue.path, unknown[0])
        : nodeLine(doc, lc, issue.path);
      const key = [...issue.path, ...unknown.slice(0, 1)].map(String).join('.') || '(top level)';
      return `${key}${where ? ` (line ${where})` : ''}: ${issue.message}`;
    });
    throw new ConfigError(file, problems);
  }
  const cfg = result.data;
  const seasons: SeasonEntry[] = (cfg.seasons ?? [{ year: cfg.year!, days: cfg.days, frozen: false, participants: [] }]).slice().sort((a, b) => b.year - a.year);
  const dup: string[] = [];
  for (const season of seasons) {
    const names = new Set<string>();
    const listed = [
      ...cfg.participants.map((p, i) => ({ p, path: ['participants', i, 'name'] })),
      ...season.participants.map((p, i) => ({ p, path: ['seasons', (cfg.seasons ?? []).indexOf(season), 'participants', i, 'name'] })),
    ].filter(({ p }) => !p.seasons || p.seasons.some((s) => (typeof s === 'number' ? s : s.year) === season.year));
    for (const { p, path } of listed) {
      const key = dirName(p.name).toLowerCase();
      const line = nodeLine(doc, lc, path);
      const where = cfg.seasons ? ` in season ${season.year}` : '';
      if (names.has(key)) dup.push(`${path.join('.')} (line ${line}): "${p.name}" clashes with an earlier participant's folder name "${dirName(p.name)}"${where}`);
      names.add(key);
    }
  }
  if (dup.length) throw new ConfigError(file, [...new Set(dup)]);
  const newest = seasons[0];
  return { ...cfg, year: newest.year, days: newest.days ?? cfg.days ?? defaultDayCount(newest.year), seasons, seasonal: !!cfg.seasons };
}

export const DEFAULT_CONFIG = 'config/aocbench.yaml';



/** `--config`, else `AOCBENCH_CONFIG`, else config/aocbench.yaml, against the working directory. */
export function instanceFile(arg: string | undefined, env: Record<string, string | undefined>, cwd: string): string {
  return resolve(/*turbopackIgnore: true*/ cwd, arg ?? env.AOCBENCH_CONFIG ?? DEFAULT_CONFIG);
}

/** File-system-safe folder name of a participant (AoCBench's DirName rule). */
export function dirName(name: string): string {
  const d = name.replace(/[^A-Za-z0-9_-]/g, '');
  return d || 'participant';
}
