/**
 * Hostile repositories against the host's git, with real git, Docker and
 * SQLite: each attack is a repository the test builds, benchmarked beside an
 * honest participant who must stay correct. The host reads a participant's
 * repository before any sandbox exists, so these attacks aim at the server
 * itself: its disk, its files, its credentials, its time.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listHealth } from '../../db/queries/health.ts';
import { listParticipants } from '../../db/queries/participants.ts';
import { listDayResults } from '../../db/queries/results.ts';
import { bench } from '../../runner/cycle/bench.ts';
import { gitLimits, gitRepo, participantGitEnv } from '../../runner/git/env.ts';
import { syncRepo } from '../../runner/git/sync.ts';
import { git, makeRepo, tempDir, writeFiles } from '../helpers/git-repo.ts';
import { commitGitBomb, commitZeros, plantedHome, selfSignedCert } from '../helpers/hostile-git.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { quietProgress, withDb, writeInstance } from '../helpers/instance.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const INPUT = '3\n4\n5\n';
const ANSWERS = '12\n3\n';
const DAY = { '1/sol.awk': '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n', '1/input.txt': INPUT, '1/answers.txt': ANSWERS };
const YAML = `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`;

/** An instance of the hostile repositories and alice, the honest participant, in `base`. */
function instance(base: string, hostile: Record<string, string>, gitConfig: Record<string, unknown> = {}): string {
  const alice = makeRepo({ '.aocbench.yaml': YAML, ...DAY }, base);
  return writeInstance(base, {
    year: 2024, days: 1,
    repeat: { runs: 2, warmup: 0, timeoutSec: 10 },
    git: gitConfig,
    participants: [...Object.entries(hostile).map(([name, repo]) => ({ name, repo })), { name: 'alice', repo: alice.url }],
  });
}

interface Outcome {
  repo: Record<string, { level: string; message: string; detail: string | null } | undefined>;
  days: Record<string, string[]>;
  stored: string;
}

/** The repository health row and the day statuses of every participant, and every text stored. */
function outcome(base: string): Outcome {
  return withDb(base, (db) => {
    const names = new Map(listParticipants(db).map((p) => [p.id, p.name]));
    const repo: Outcome['repo'] = {};
    for (const h of listHealth(db)) if (h.topic === 'repo') repo[names.get(h.participantId)!] = h;
    const days: Outcome['days'] = {};
    for (const r of listDayResults(db)) (days[names.get(r.participantId)!] ??= []).push(`${r.day}:${r.status}`);
    const tables = db.$client.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>;
    const stored = tables.map((t) => JSON.stringify(db.$client.prepare(`select * from "${t.name}"`).all())).join('\n');
    return { repo, days, stored };
  });
}

/** Kilobytes and files under a folder. */
function usage(dir: string): { kb: number; files: number } {
  const kb = Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]);
  const files = execFileSync('find', [dir], { encoding: 'utf8' }).split('\n').length;
  return { kb, files };
}

/** `aocbench bench` as its own process, with the environment an operator's shell would give it. */
function benchProcess(config: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, 'bench', '--config', config], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    p.stdout.on('data', (c) => (output += c));
    p.stderr.on('data', (c) => (output += c));
    p.on('close', (code) => resolve({ code, output }));
  });
}

/** A gitlink to a commit nobody has, named in `.gitmodules` with this URL. */
function addSubmodule(dir: string, url: string): void {
  writeFiles(dir, { '.gitmodules': `[submodule "sub"]\n\tpath = sub\n\turl = ${url}\n` });
  git(dir, 'add', '.gitmodules');
  git(dir, 'update-index', '--add', '--cacheinfo', `160000,${randomBytes(20).toString('hex')},sub`);
  git(dir, 'commit', '-q', '-m', 'a submodule');
}

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A TCP server on 127.0.0.1 counting connections; `hold` keeps them open and silent, otherwise each is closed at once. */
async function tcpServer(hold: boolean): Promise<{ port: number; connections: () => number }> {
  let n = 0;
  const s = createServer((sock) => {
    n++;
    if (!hold) sock.destroy();
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { port: (s.address() as { port: number }).port, connections: () => n };
}

describe('a hostile repository against the host\'s git', () => {
  it('a file:// submodule naming another repository on the host is refused, and its secret reaches nothing', async () => {
    const secretText = `host-secret-${randomBytes(6).toString('hex')}`;
    const secret = makeRepo({ 'secret.txt': `${secretText}\n` }); // a repository elsewhere on the host
    const base = tempDir();
    const mallory = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: cat /code/sub/secret.txt\n`, '1/input.txt': INPUT, '1/answers.txt': ANSWERS }, base);
    git(mallory.dir, 'submodule', 'add', '-q', secret.url, 'sub');
    git(mallory.dir, 'commit', '-q', '-m', 'borrow a secret');
    const config = instance(base, { mallory: mallory.url });
    await bench({ config, progress: quietProgress() });
    const o = outcome(base);
    expect(o.repo.mallory).toMatchObject({ level: 'error' });
    expect(o.repo.mallory!.message).toMatch(/Repository refused: submodule sub: a file:\/\/ submodule \(.*\) is refused: it is outside /);
    expect(o.days.mallory).toBeUndefined();
    expect(o.days.alice).toEqual(['1:correct']);
    expect(o.stored).not.toContain(secretText);
    // Not a byte of it was fetched: no repository of the data dir has the secret's commit.
    const secretCommit = git(secret.dir, 'rev-parse', 'HEAD').trim();
    for (const name of readdirSync(join(base, 'data/repos')).filter((n) => !n.startsWith('.'))) {
      expect(() => git(join(base, 'data/repos', name), '--git-dir=.git', 'cat-file', '-e', secretCommit), name).toThrow();
    }
  });

  it('https and ssh submodules are fetched with an empty home: no credential helper, global config, ssh command or agent of the operator', async () => {
    const base = tempDir();
    const marks = join(base, 'marks');
    const home = plantedHome(base, marks);
    // The operator's SSH agent, as a socket that counts who connects to it.
    const agentSock = join(base, 'agent.sock');
    let agentUsed = 0;
    const agent = createServer(() => agentUsed++);
    servers.push(agent);
    await new Promise<void>((r) => agent.listen(agentSock, r));
    // A private https repository: 401 for everyone, so git would ask for credentials if it ever got this far.
    let httpsConnections = 0;
    const https = createHttpsServer(selfSignedCert(base), (_req, res) => res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="private"' }).end());
    https.on('connection', () => httpsConnections++);
    servers.push(https as unknown as Server);
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
    const httpsPort = (https.address() as { port: number }).port;
    const ssh = await tcpServer(false);

    // The environment module itself, asked while the runner's own HOME is the planted one.
    const saved = { HOME: process.env.HOME, SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK };
    Object.assign(process.env, { HOME: home, SSH_AUTH_SOCK: agentSock });
    const env = participantGitEnv(gitRepo(join(base, 'data/repos/x')));
    Object.assign(process.env, saved);
    expect(env.HOME).not.toBe(home);
    expect(env.SSH_AUTH_SOCK).toBeUndefined();
    expect(execFileSync('git', ['config', '--list', '--show-origin'], { env, cwd: base, encoding: 'utf8' })).not.toMatch(/operator|marks/);

    const viaHttps = makeRepo({ '.aocbench.yaml': YAML, ...DAY }, base);
    addSubmodule(viaHttps.dir, `https://127.0.0.1:${httpsPort}/private.git`);
    const viaSsh = makeRepo({ '.aocbench.yaml': YAML, ...DAY }, base);
    addSubmodule(viaSsh.dir, `ssh://git@127.0.0.1:${ssh.port}/private.git`);
    const config = instance(base, { 'via-https': viaHttps.url, 'via-ssh': viaSsh.url }, { submoduleHosts: ['127.0.0.1'] });
    const run = await benchProcess(config, { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), SSH_AUTH_SOCK: agentSock });
    expect(run.output).toMatch(/via-https: git submodules failed/);

    const o = outcome(base);
    expect(existsSync(marks) ? readdirSync(marks) : []).toEqual([]);
    expect(agentUsed).toBe(0);
    expect(readdirSync(join(base, 'data/repos/.git-host/home'))).toEqual([]);
    // Git did go to both servers, and was turned away by TLS (no sslVerify=false from the planted config) and by ssh.
    expect(httpsConnections).toBeGreaterThan(0);
    expect(ssh.connections()).toBeGreaterThan(0);
    expect(o.repo['via-https']!.detail).toMatch(/certificate/);
    expect(o.repo['via-ssh']!.detail).toMatch(/Connection closed|kex_exchange|Could not read from remote/);
    expect(o.stored).not.toContain('operator-secret');
    expect(o.days.alice).toEqual(['1:correct']);
  });

  it('a git bomb is refused by its entry count before anything is written, within seconds, and leaves the data dir small', async () => {
    const base = tempDir();
    const mallory = makeRepo({ '.aocbench.yaml': YAML, ...DAY }, base);
    commitGitBomb(mallory.dir, 10, 6); // 10^6 paths from a few KB of objects
    const config = instance(base, { mallory: mallory.url });
    const t = performance.now();
    await bench({ config, progress: quietProgress() });
    expect(performance.now() - t).toBeLessThan(30_000);
    const o = outcome(base);
    expect(o.repo.mallory).toMatchObject({ level: 'error' });
    expect(o.repo.mallory!.message).toMatch(/Repository refused: the repository has over 100000 committed files \(git\.maxEntries\)/);
    expect(o.days.mallory).toBeUndefined();
    expect(o.days.alice).toEqual(['1:correct']);
    const used = usage(join(base, 'data'));
    expect(used.kb).toBeLessThan(20 * 1024);
    expect(used.files).toBeLessThan(500);
    // A repository that had passed keeps its last good commit when a bomb is pushed on top of it.
    const honest = makeRepo({ '.aocbench.yaml': YAML, ...DAY }, base);
    const dest = join(base, 'data/repos/later');
    const good = (await syncRepo(honest.url, dest)).head;
    commitGitBomb(honest.dir, 10, 6);
    const r = await syncRepo(honest.url, dest);
    expect(r).toMatchObject({ ok: false, failedStep: 'limits' });
    expect(git(dest, '--git-dir=.git', 'rev-parse', 'HEAD').trim()).toBe(good);
  });

  it('a git command that hangs is stopped at its deadline, and a SIGTERM ends the run and its git within 2 s', async () => {
    const server = await tcpServer(true); // accepts, never answers
    const base = tempDir();
    const url = `https://127.0.0.1:${server.port}/mallory.git`;
    const t = performance.now();
    const r = await syncRepo(url, join(base, 'data/repos/mallory'), null, undefined, gitLimits({ timeoutSec: 1 }));
    expect(r).toMatchObject({ ok: false, failedStep: 'clone' });
    expect(r.output).toMatch(/took over 1 s \(git\.timeoutSec\) and was stopped/);
    expect(performance.now() - t).toBeLessThan(5000);

    const config = instance(base, { mallory: url });
    const before = server.connections();
    const child = spawn(process.execPath, [BIN, 'bench', '--config', config], { stdio: 'ignore' });
    const exited = new Promise<number>((res) => child.on('exit', () => res(performance.now())));
    const deadline = Date.now() + 20_000;
    while (server.connections() === before && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
    expect(server.connections()).toBeGreaterThan(before);
    const sent = performance.now();
    child.kill('SIGTERM');
    expect((await exited) - sent).toBeLessThan(2000);
    await new Promise((res) => setTimeout(res, 200));
    expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).not.toContain(`127.0.0.1:${server.port}`);
  });

  it('a 200 MB file of zeros is refused by its size before it is written', async () => {
    const base = tempDir();
    const mallory = makeRepo({ '.aocbench.yaml': YAML, ...DAY }, base);
    commitZeros(mallory.dir, 'big.bin', 200);
    const config = instance(base, { mallory: mallory.url });
    await bench({ config, progress: quietProgress() });
    const o = outcome(base);
    expect(o.repo.mallory).toMatchObject({ level: 'error' });
    expect(o.repo.mallory!.message).toMatch(/Repository refused: big\.bin is 200 MB, over the 100 MB limit for one file \(git\.maxBlobMb\)/);
    expect(o.days.mallory).toBeUndefined();
    expect(o.days.alice).toEqual(['1:correct']);
    expect(usage(join(base, 'data')).kb).toBeLessThan(20 * 1024);
  });
});
