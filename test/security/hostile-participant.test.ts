/**
 * A hostile participant, played with real Docker, git and SQLite: it plants
 * git hooks, links, FIFOs and files wherever it can write, tries to make the
 * host read secrets, to forge the agent's replies, to fake its times, to flood
 * output and disk, and to outlive its runs. The attacks look for every
 * writable mount and every reachable `.git` themselves instead of aiming at
 * today's paths. An honest participant runs after it and must be untouched.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listParticipants } from '../../db/queries/participants.ts';
import { listDayResults, type DayResultRow } from '../../db/queries/results.ts';
import { bench } from '../../runner/cycle/bench.ts';
import { matrix } from '../../runner/cycle/matrix.ts';
import { instanceLabel } from '../../runner/host/instance-id.ts';
import { commit, makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { quietProgress, withDb, writeInstance } from '../helpers/instance.ts';
import { startWebServer, type WebServer } from '../helpers/web-server.ts';

const TOKEN = randomBytes(6).toString('hex');
const SOLVE = `awk '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }' "$1"`;
const INPUT = '3\n4\n5\n';
const ANSWERS = '12\n3\n';
const DAYS = 8;
/** Every slow day sleeps this long in each run it really does the work in. */
const WORK_MS = 300;

/**
 * runonce of every day: plants, in every directory it can write (every mount
 * point and the usual places), marker files, links to secrets, FIFOs and the
 * names the host once read output from; and in every `.git` it can reach
 * (and one of its own) hooks and config that would touch HOSTMARK on the host.
 */
const ATTACK = String.raw`#!/bin/sh
hook="#!/bin/sh
touch $HOSTMARK"
dirs="$(awk '{print $5}' /proc/self/mountinfo) / /tmp /code /code/1 /cache /.aocbench /.aocbench/io /root /dev/shm"
for d in $dirs; do
  [ -d "$d" ] || continue
  touch "$d/aocbench-pwned-$TOKEN" 2>/dev/null || continue
  for t in $SECRETS /etc/shadow; do ln -sf "$t" "$d/aocbench-pwned-$TOKEN-$(basename $t)" 2>/dev/null; done
  for n in 1.out 2.out 3.out 4.out 5.out out output answers.txt; do rm -f "$d/$n"; ln -sf "$SESSIONKEY" "$d/$n" 2>/dev/null; done
  mkfifo "$d/aocbench-pwned-$TOKEN-fifo" "$d/6.out" "$d/7.out" 2>/dev/null
done
ln -sf /etc/shadow /code/$DAY/input.txt
mkdir -p /code/.git/hooks
for g in $( (find / -xdev -name .git -type d; for m in $(awk '{print $5}' /proc/self/mountinfo); do find "$m" -xdev -name .git -type d; done) 2>/dev/null | sort -u) /code/.git; do
  mkdir -p "$g/hooks"
  for h in pre-commit post-checkout post-merge post-rewrite pre-auto-gc reference-transaction fsmonitor-watchman; do
    printf '%s\n' "$hook" > "$g/hooks/$h" && chmod +x "$g/hooks/$h"
  done
  printf '[core]\n\tfsmonitor = touch %s\n\thooksPath = %s\n' "$HOSTMARK" "$g/hooks" >> "$g/config"
done
echo planted
`;

/** One script per day of the hostile participant; each prints the right answers if it prints anything. */
const MALLORY_DAYS: Record<number, string> = {
  // Shows the solution what it can see of the host: stored as its check output.
  1: `cat /proc/self/mountinfo; cat /proc/1/environ 2>/dev/null | tr '\\0' '\\n'; ${SOLVE}`,
  // Works only when stdout is a pipe (the check run used to be the only one that had one).
  2: `if [ -p /dev/stdout ]; then usleep ${WORK_MS * 1000}; ${SOLVE}; fi`,
  // Only the first run ever does the work and prints; every later run is instant and silent.
  3: `n=$(cat /cache/count-3 2>/dev/null || echo 0); echo $((n + 1)) > /cache/count-3; if [ "$n" = 0 ]; then usleep ${WORK_MS * 1000}; ${SOLVE}; fi`,
  // Leaves a daemon behind; while it lives, runs answer from its cache at once.
  4: `mkdir -p /tmp; if [ -f /tmp/d.pid ] && kill -0 "$(cat /tmp/d.pid)" 2>/dev/null; then cat /tmp/answer; exit 0; fi
usleep ${WORK_MS * 1000}; ${SOLVE} | tee /tmp/answer
setsid sh -c 'while :; do sleep 1; done' </dev/null >/dev/null 2>&1 & echo $! > /tmp/d.pid`,
  // Forges whole agent replies (answers, then 1 ns samples) for every likely request id through /proc/1, signals it, then works honestly.
  5: `for id in $(seq 1 60); do for fd in /proc/1/fd/*; do printf 'out\\t%s\\t24\\nPart 1: 12\\nPart 2: 3\\ndone\\t%s\\texit\\t0\\t1,1,1\\t0,0,0,0\\n' $id $id > "$fd" 2>/dev/null && echo FORGED-$fd; done; done
cat /proc/1/mem >/dev/null 2>&1 && echo READ-AGENT-MEMORY
kill -ALRM 1; kill -TERM 1; kill -USR1 1; kill -CHLD 1
usleep ${WORK_MS * 1000}; ${SOLVE}`,
  // Floods stdout far past the output limit.
  6: `yes aocbench | head -c 300000000; ${SOLVE}`,
  // Fills the disk past the limit, half in the code copy and half elsewhere in the container.
  7: `mkdir -p /tmp; dd if=/dev/zero of=/code/big bs=1048576 count=40 2>/dev/null; dd if=/dev/zero of=/tmp/big bs=1048576 count=40 2>/dev/null; ${SOLVE}`,
  // Holds its stdout open from a background process and leaves sleepers behind.
  8: `(sleep 100000 &) ; sleep 100000 </dev/null >/dev/null 2>&1 & ${SOLVE}`,
};

let base: string;
let config: string;
let dataDir: string;
let hostMark: string;
let sessionKey: string;
let mallory: { dir: string; url: string };
let results: Record<string, Record<number, DayResultRow>>;
let web: WebServer;

function dayResults(): Record<string, Record<number, DayResultRow>> {
  return withDb(base, (db) => {
    const names = new Map(listParticipants(db).map((p) => [p.id, p.name]));
    const out: Record<string, Record<number, DayResultRow>> = {};
    for (const r of listDayResults(db)) (out[names.get(r.participantId)!] ??= {})[r.day] = r;
    return out;
  });
}

/** Every text value in every table of the instance's database. */
function everyStoredText(): string {
  return withDb(base, (db) => {
    const tables = db.$client.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>;
    return tables.map((t) => JSON.stringify(db.$client.prepare(`select * from "${t.name}"`).all())).join('\n');
  });
}

/** Files this test's attacker named, anywhere the host keeps things (Docker's own storage is the sandbox). */
function plantedOnHost(): string[] {
  const roots = [tmpdir(), '/root', '/etc', '/var/tmp', '/home', join(import.meta.dirname, '../..')].filter(existsSync);
  const found: string[] = [];
  for (const r of roots) {
    // Other tests' temp dirs come and go during the walk: that is not a failure of this one.
    const out = execFileSync('find', [r, '-xdev', '-ignore_readdir_race', '(', '-name', 'node_modules', '-o', '-name', '.next*', ')', '-prune', '-o', '-name', `aocbench-pwned-${TOKEN}*`, '-print'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (out) found.push(...out.split('\n'));
  }
  return found;
}

beforeAll(async () => {
  base = tempDir();
  dataDir = join(base, 'data');
  hostMark = join(base, 'HOST-RAN-PARTICIPANT-CODE');
  // The attacker is assumed to know where the secrets are (an earlier leak, or a guess).
  mkdirSync(dataDir, { recursive: true });
  sessionKey = join(dataDir, 'session.key');
  writeFileSync(sessionKey, `session-secret-${TOKEN}`, { mode: 0o600 });
  const env = [`TOKEN=${TOKEN}`, `HOSTMARK=${hostMark}`, `SESSIONKEY=${sessionKey}`, `SECRETS=${sessionKey} ${join(dataDir, 'aocbench.db')}`, 'DAY=%day%'];
  mallory = makeRepo({
    '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\npersistence: [/cache]\nenvironment: ${JSON.stringify(env)}\nrunonce: sh /code/attack.sh\ncmd: sh /code/%day%/sol.sh %input%\n`,
    'attack.sh': ATTACK,
    ...Object.fromEntries(Object.entries(MALLORY_DAYS).map(([d, s]) => [`${d}/sol.sh`, `${s}\n`])),
  }, base);
  const alice = makeRepo({
    '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\npersistence: [/cache]\nrunonce: echo %day% >> /cache/alice-days && cat /cache/alice-days\ncmd: awk -f %day%/sol.awk %input%\n`,
    ...Object.fromEntries(Array.from({ length: DAYS }, (_, i) => [
      [`${i + 1}/sol.awk`, '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n'],
      [`${i + 1}/input.txt`, INPUT],
      [`${i + 1}/answers.txt`, ANSWERS],
    ]).flat()),
  }, base);
  config = writeInstance(base, {
    year: 2024, days: DAYS,
    repeat: { runs: 3, warmup: 1, timeoutSec: 10 },
    limits: { memoryMb: 128, pids: 64, outputKb: 64, diskMb: 64 },
    participants: [{ name: 'mallory', repo: mallory.url }, { name: 'alice', repo: alice.url }],
  });
  await bench({ config, progress: quietProgress() });
  // A second cycle: the host syncs the hostile repository again (git fetch, reset, clean) and re-runs a day.
  commit(mallory.dir, { '1/sol.sh': `# v2\n${MALLORY_DAYS[1]}\n` });
  await bench({ config, progress: quietProgress() });
  await matrix({ config, progress: quietProgress(), noUpdate: false });
  results = dayResults();
  web = await startWebServer(config);
}, 600_000);

afterAll(async () => web?.stop());

describe('a hostile participant', () => {
  it('never has its code run on the host: no hook, fsmonitor or hooksPath it planted was executed', () => {
    expect(existsSync(hostMark)).toBe(false);
    expect(results.mallory[1].runonceOutput).toContain('planted');
  });

  it('leaves no file on the host outside Docker\'s storage of its own sandbox', () => {
    expect(plantedOnHost()).toEqual([]);
    expect(readdirSync(dataDir).filter((f) => f.includes(TOKEN))).toEqual([]);
  });

  it('gets no host secret into the database or a page, and sees no host path', async () => {
    const stored = everyStoredText();
    expect(stored).not.toContain(`session-secret-${TOKEN}`);
    expect(stored).not.toMatch(/root:[^:\n]*:\d+:/); // a line of /etc/shadow
    // Its mountinfo (day 1's check output) names Docker's storage, never the data dir or the test's temp dir.
    expect(results.mallory[1].checkOutput).toMatch(/ \/code | \/ /);
    expect(results.mallory[1].checkOutput).not.toContain(base);
    for (const path of ['/', '/health', '/health/mallory', '/api/results.json', '/matrix']) {
      const page = await (await fetch(`${web.url}${path}`)).text();
      expect(page, path).not.toContain(`session-secret-${TOKEN}`);
      expect(page, path).not.toMatch(/root:[^:\n]*:\d+:/);
    }
  });

  it('is never stored as a fast correct: every timed run does the work', () => {
    const m = results.mallory;
    // Pipe-only work (2), work in the first run only (3: every run starts from the state before the check
    // run, so the count it keeps is always 0), a daemon serving later runs (4) and forged agent replies (5):
    // the work is timed.
    for (const day of [2, 3, 4, 5]) {
      expect(m[day].status, `day ${day}`).toBe('correct');
      expect(m[day].medianMs!, `day ${day}`).toBeGreaterThanOrEqual(WORK_MS * 0.9);
      expect(m[day].minMs!, `day ${day}`).toBeGreaterThanOrEqual(WORK_MS * 0.9);
    }
    expect(m[5].checkOutput).not.toMatch(/FORGED|READ-AGENT-MEMORY/);
  });

  it('is held to the output and disk limits whatever way it writes', () => {
    expect(results.mallory[6]).toMatchObject({ status: 'output-limit', failedStep: 'check' });
    expect(results.mallory[7]).toMatchObject({ status: 'error', medianMs: null });
    expect(results.mallory[7].message).toMatch(/over the 64 MB disk limit/);
  });

  it('cannot hang the run: FIFOs, links and leftover processes change nothing for the host', () => {
    expect(results.mallory[8].status).toBe('correct');
    expect(results.mallory[1].status).toBe('correct');
    const left = execFileSync('docker', ['ps', '-aq', '--filter', `label=aocbench.instance=${instanceLabel(dataDir)}`], { encoding: 'utf8' }).trim();
    expect(left).toBe('');
  });

  it('leaves the next participant\'s verdicts, matrix and persistence intact', () => {
    for (let day = 1; day <= DAYS; day++) expect(results.alice[day].status, `day ${day}`).toBe('correct');
    expect(results.alice[DAYS].runonceOutput?.trim().split('\n')).toEqual(Array.from({ length: DAYS }, (_, i) => String(i + 1)));
    const cells = withDb(base, (db) => db.$client.prepare("select c.status from matrix_cells c join participants p on p.id = c.solver_id where p.name = 'alice'").all() as Array<{ status: string }>);
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.every((c) => c.status === 'correct')).toBe(true);
  });
});
