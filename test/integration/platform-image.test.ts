/**
 * The platform image (Dockerfile) and the Compose stack (compose.yaml). The
 * image is really built, on a local stand-in for node:20-bookworm-slim (no
 * registry is reachable here: test/fixtures/standin-base/build.sh), and run in
 * every role as compose.yaml runs it: a coordinator (`daemon`) and a worker
 * (root, the host's Docker socket) benchmark a participant through a Redis,
 * and the web, sharing the coordinator's named volume, serves the result.
 * The stand-in and the built image stay, so a re-run hits Docker's cache.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseInstanceConfig } from '../../lib/instance-config.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { freePort } from '../helpers/web-server.ts';

const ROOT = join(import.meta.dirname, '../..');
const IMAGE = 'aocbench-test/platform:1';
/** Every container and volume of this file carries it, so afterAll finds them all. */
const LABEL = 'org.aocbench.test=platform-image';
const SUM_AWK = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';
const SOCKET = '/var/run/docker.sock:/var/run/docker.sock';
// The key workers sign results with, as .env would hold it (queue.resultKeyEnv: AOCBENCH_RESULT_KEY).
const KEY = 'platform-test-result-key-0123456789abcdef';

function docker(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('docker', args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 600_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
const run = (...args: string[]) => docker('run', '--rm', '--label', LABEL, ...args);
const start = (...args: string[]) => {
  const r = docker('run', '-d', '--label', LABEL, ...args);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
};
const logs = (id: string) => {
  const r = docker('logs', id);
  return r.stdout + r.stderr;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, f: () => Promise<T | null> | T | null, ms: number, detail = () => ''): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${detail()}`);
    await sleep(500);
  }
}

let base: string;
let redis: ChildProcess | undefined;
const volumes: string[] = [];
let helpText = '';
/** `aocbench --help` of the image. */
function help(): string {
  if (!helpText) {
    const r = run(IMAGE, '--help');
    expect(r.status, r.stderr).toBe(0);
    helpText = r.stdout;
  }
  return helpText;
}

beforeAll(async () => {
  base = tempDir('aocbench-platform-');
  let t = Date.now();
  const standin = spawnSync('bash', [join(ROOT, 'test/fixtures/standin-base/build.sh')], { encoding: 'utf8', timeout: 900_000 });
  expect(standin.status, standin.stdout + standin.stderr).toBe(0);
  const standinS = (Date.now() - t) / 1000;
  t = Date.now();
  const before = docker('image', 'inspect', '-f', '{{.Id}}', IMAGE).stdout.trim();
  const b = docker('build', '-t', IMAGE, ROOT);
  expect(b.status, b.stdout.slice(-5000) + b.stderr).toBe(0);
  const after = docker('image', 'inspect', '-f', '{{.Id}}', IMAGE).stdout.trim();
  // The image this build replaced: its own layers go, the ones it shares stay as cache.
  if (before && before !== after) docker('image', 'rm', before);
  process.stderr.write(`platform image: stand-in base ${standinS.toFixed(0)} s (${standin.stdout.trim().split('\n').at(-1)}), docker build ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
}, 1_800_000);

afterAll(() => {
  const ids = docker('ps', '-aq', '--filter', `label=${LABEL}`).stdout.split('\n').filter(Boolean);
  if (ids.length) docker('rm', '-f', ...ids);
  if (volumes.length) docker('volume', 'rm', '-f', ...volumes);
  redis?.kill('SIGKILL');
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('the platform image', () => {
  it('prints the commands of every role and runs as an unprivileged user by default', () => {
    for (const cmd of ['web', 'daemon', 'worker', 'bench', 'doctor', 'validate']) expect(help()).toMatch(new RegExp(`^  ${cmd} `, 'm'));
    expect(run('--entrypoint', 'id', IMAGE, '-u').stdout.trim()).toBe('1000');
    // The static agent built in the image, newer than its sources (there is no compiler to rebuild it).
    const agent = run('--entrypoint', 'sh', IMAGE, '-c', 'cd /app/runner/agent && file=aocbench-agent; [ -x $file ] && for s in *.c *.h; do [ $file -nt $s ] || exit 1; done && ! command -v cc');
    expect(agent.status, agent.stderr).toBe(0);
  });

  it("validates a repository's .aocbench.yaml and checks the host with the Compose example config", () => {
    const good = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`, '1/sol.awk': SUM_AWK }, base);
    const bad = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\n` }, base);
    const ok = run('-v', `${good.dir}:/repo:ro`, IMAGE, 'validate', '/repo');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/: ok/);
    const err = run('-v', `${bad.dir}:/repo:ro`, IMAGE, 'validate', '/repo');
    expect(err.status).toBe(1);
    expect(err.stdout).toMatch(/: error[\s\S]*cmd/);
    // As the worker runs: root, with the socket; the example config loads in the image.
    const doc = run('--user', 'root', '-v', SOCKET, '-v', `${join(ROOT, 'config/aocbench.compose.yaml')}:/srv/aocbench/aocbench.yaml:ro`, IMAGE, 'doctor', '--json');
    expect(doc.status, doc.stdout + doc.stderr).toBe(0);
    const report = JSON.parse(doc.stdout) as { executor: string; usable: boolean };
    expect(report.executor).toBe('docker');
    expect(report.usable).toBe(true);
  });

  it('a worker that cannot reach Redis says so and keeps trying', async () => {
    const port = await freePort();
    const cfg = join(base, 'unreachable.yaml');
    writeFileSync(cfg, stringify({ year: 2024, days: 1, queue: { url: `redis://127.0.0.1:${port}`, resultKeyEnv: 'AOCBENCH_RESULT_KEY' }, participants: [] }));
    const id = start('--network', 'host', '--user', 'root', '-e', `AOCBENCH_RESULT_KEY=${KEY}`, '-v', SOCKET, '-v', `${cfg}:/srv/aocbench/aocbench.yaml:ro`, IMAGE, 'worker');
    await until('the worker to complain', () => (/Redis at 127\.0\.0\.1:\d+ unreachable since .*; retrying/.test(logs(id)) ? true : null), 60_000, () => logs(id));
    expect(docker('inspect', '-f', '{{.State.Running}}', id).stdout.trim()).toBe('true');
    docker('rm', '-f', id);
  });

  it('coordinator, worker and web as in compose.yaml: a participant is benchmarked through Redis and the site shows it', async () => {
    const port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 50 && spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() !== 'PONG'; i++) await sleep(100);
    const repo = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`, '1/sol.awk': SUM_AWK, '1/input.txt': '1\n2\n3\n', '1/answers.txt': '6\n3\n' }, base);
    // One config for all roles, as in compose.yaml; dataDir and inputsDir keep their defaults (the image's volume).
    const cfg = join(base, 'aocbench.yaml');
    writeFileSync(cfg, stringify({ year: 2024, days: 1, repeat: { runs: 3 }, daemon: { pollMinutes: 600 }, queue: { url: `redis://127.0.0.1:${port}`, prefix: `pi${port}`, resultKeyEnv: 'AOCBENCH_RESULT_KEY' }, participants: [{ name: 'ada', repo: repo.url }] }));
    // The file:// repository is owned by this test's user; git in the containers (node, root) must accept it.
    const gitconfig = join(base, 'gitconfig');
    writeFileSync(gitconfig, '[safe]\n\tdirectory = *\n');
    const common = ['-v', `${cfg}:/srv/aocbench/aocbench.yaml:ro`, '-v', `${repo.dir}:${repo.dir}:ro`];
    // The result key reaches coordinator and worker as compose.yaml passes it; the web needs none.
    const keyed = ['-e', `AOCBENCH_RESULT_KEY=${KEY}`];
    const data = `aocbench-platform-test-${port}`;
    volumes.push(data);
    expect(docker('volume', 'create', '--label', LABEL, data).status).toBe(0);

    const worker = start('--network', 'host', '--user', 'root', ...keyed, '-v', SOCKET, '-v', `${gitconfig}:/root/.gitconfig:ro`, ...common, IMAGE, 'worker');
    const coordinator = start('--network', 'host', ...keyed, '-v', `${data}:/srv/aocbench/data`, '-v', `${gitconfig}:/home/node/.gitconfig:ro`, ...common, IMAGE, 'daemon');
    // Secrets reach a role through its environment only, as compose.yaml passes them.
    const token = `platform-${port}-token-0123456789`;
    const web = start('-p', '127.0.0.1::3000', '-e', `AOCBENCH_ADMIN_TOKEN=${token}`, '-v', `${data}:/srv/aocbench/data`, ...common, IMAGE, 'web', '-H', '0.0.0.0', '-p', '3000');
    const url = `http://${docker('port', web, '3000/tcp').stdout.trim().split('\n')[0]}`;
    const detail = () => Object.entries({ worker, coordinator, web }).map(([role, id]) => `${role}:\n${logs(id)}`).join('\n');

    const home = await until('the site', async () => fetch(url, { signal: AbortSignal.timeout(5000) }).then((r) => (r.status === 200 ? r.text() : null), () => null), 120_000, detail);
    expect(home).toContain('<html');
    type Results = { participants: Array<{ name: string; days: Record<string, { status: string; samplesMs: number[]; hardwareClass: string | null }> }> };
    const day = await until('ada day 1 on the site', async () => {
      const r = (await fetch(`${url}/api/results.json`).then((x) => x.json(), () => null)) as Results | null;
      return r?.participants.find((p) => p.name === 'ada')?.days['1'] ?? null;
    }, 180_000, detail);
    expect(day.status, detail()).toBe('correct');
    expect(day.samplesMs).toHaveLength(3);
    expect(day.hardwareClass).toBe('default');
    expect(logs(worker)).toMatch(/done time: ada day 1 in [\d.]+ s: correct/);
    expect(await fetch(url).then((r) => r.text())).toContain('ada');
    for (const page of ['/admin', '/health', '/health/ada', '/participants/ada', '/matrix', '/hardware', '/log', '/times.json']) {
      expect((await fetch(url + page)).status, page).toBe(200);
    }
    const runs = (auth: string) => fetch(`${url}/api/admin/runs`, { method: 'POST', headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' }, body: JSON.stringify({ participant: 'ada' }) });
    expect((await runs('not-the-token-0123456789')).status).toBe(401);
    expect((await runs(token)).status).toBe(202);
    // A stop is clean: the daemon and the web exit 0 on SIGTERM.
    for (const id of [coordinator, web]) {
      docker('stop', '-t', '20', id);
      expect(docker('inspect', '-f', '{{.State.ExitCode}}', id).stdout.trim(), logs(id)).toBe('0');
    }
    // As long as its own waits (the site, then the day through Redis): three containers starting beside the rest of the suite.
  }, 330_000);
});

describe('compose.yaml', () => {
  type Service = { image?: string; build?: string; command?: string[]; user?: string; volumes?: Array<string | { source: string; target: string; read_only?: boolean }>; environment?: Record<string, string>; ports?: string[] };
  const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
  const s = compose.services;
  const mounts = (svc: Service) => (svc.volumes ?? []).map((v) => (typeof v === 'string' ? { source: v.split(':')[0], target: v.split(':')[1] } : v));
  const imageEnv = () => docker('image', 'inspect', '-f', '{{json .Config.Env}}', IMAGE).stdout;

  it('starts web, coordinator, worker and redis, each aocbench role from the platform image with a command it has', () => {
    expect(Object.keys(s).sort()).toEqual(['coordinator', 'redis', 'web', 'worker']);
    for (const name of ['web', 'coordinator', 'worker']) {
      expect(s[name].build).toBe('.');
      expect(s[name].image).toBe(s.web.image);
      expect(help(), name).toMatch(new RegExp(`^  ${s[name].command![0]} `, 'm'));
    }
    expect(s.web.command).toEqual(['web', '-H', '0.0.0.0', '-p', '3000']);
    expect(s.web.ports!.some((p) => p.endsWith(':3000'))).toBe(true);
    expect(s.coordinator.command).toEqual(['daemon']);
    expect(s.worker.command![0]).toBe('worker');
    expect(s.redis.image).toMatch(/^redis:7/);
  });

  it('shares one data volume between web and coordinator; the worker has its own and the Docker socket', () => {
    const at = (svc: Service, target: string) => mounts(svc).find((m) => m.target === target)?.source;
    expect(at(s.web, '/srv/aocbench/data')).toBe('data');
    expect(at(s.coordinator, '/srv/aocbench/data')).toBe('data');
    expect(at(s.worker, '/srv/aocbench/data')).toBe('worker-data');
    expect(at(s.worker, '/var/run/docker.sock')).toBe('/var/run/docker.sock');
    expect(s.worker.user).toBe('root');
    for (const name of ['web', 'coordinator']) expect(at(s[name], '/var/run/docker.sock'), name).toBeUndefined();
    expect(Object.keys(compose.volumes).sort()).toEqual(['data', 'redis-data', 'worker-data']);
  });

  it("mounts one config where the image looks for it, and the example config is valid and names compose's Redis", () => {
    const cfgMounts = ['web', 'coordinator', 'worker'].map((n) => mounts(s[n]).find((m) => m.target === '/srv/aocbench/aocbench.yaml'));
    for (const m of cfgMounts) expect(m).toMatchObject({ source: cfgMounts[0]!.source, read_only: true });
    expect(imageEnv()).toContain('AOCBENCH_CONFIG=/srv/aocbench/aocbench.yaml');
    const example = /:-\.\/(.+)\}$/.exec(cfgMounts[0]!.source)![1];
    expect(existsSync(join(ROOT, example))).toBe(true);
    const cfg = parseInstanceConfig(readFileSync(join(ROOT, example), 'utf8'), example);
    expect(new URL(cfg.queue!.url!).hostname).toBe('redis');
    // Results are signed with a key from the environment that compose.yaml hands to coordinator and worker only.
    expect(s.coordinator.environment).toHaveProperty(cfg.queue!.resultKeyEnv!);
    expect(s.worker.environment).toHaveProperty(cfg.queue!.resultKeyEnv!);
    expect(s.web.environment).not.toHaveProperty(cfg.queue!.resultKeyEnv!);
    // Secrets only by reference to the environment (.env), never written into compose.yaml.
    for (const [name, svc] of Object.entries(s)) for (const v of Object.values(svc.environment ?? {})) expect(v, name).toMatch(/^\$\{[A-Z_]+:-\}$/);
  });
});
