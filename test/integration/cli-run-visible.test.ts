/**
 * A bench started on the command line shows on the site like a queued run:
 * in progress (with its step) while it runs, done afterwards, and its process
 * as a live runner; and the summary names a participant that was not benchmarked.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listJobs } from '../../db/queries/jobs.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';
import { startWebServer, type WebServer } from '../helpers/web-server.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
let base: string;
let config: string;
let server: WebServer;

beforeAll(async () => {
  base = tempDir();
  const slow = makeRepo({
    '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: sh 1/run.sh %input%\n`,
    '1/run.sh': 'usleep 400000; awk \'{ s += $1 } END { print s; print NR }\' "$1"\n', '1/input.txt': '1\n2\n', '1/answers.txt': '3\n2\n',
  }, base);
  const broken = makeRepo({ '.aocbench.yaml': 'version: 1\ncmd: [unclosed\n' }, base);
  config = writeInstance(base, { year: 2024, days: 1, repeat: { runs: 4 }, participants: [{ name: 'slow', repo: slow.url }, { name: 'broken', repo: broken.url }] });
  server = await startWebServer(config);
}, 60_000);

afterAll(async () => server?.stop());

describe('a command-line bench on the site', () => {
  it('is a run in progress while it runs, by a live runner, then done; the summary lists who was left out', async () => {
    const cli = spawn(process.execPath, [BIN, 'bench', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    cli.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((r) => cli.once('exit', r));
    type Status = { running: { progress: string | null } | null; runner: { kind: string; alive: boolean } | null };
    let seen: Status = { running: null, runner: null };
    for (let i = 0; i < 200 && !seen.running?.progress?.includes('timing'); i++) {
      seen = (await (await fetch(`${server.url}/api/status`)).json()) as Status;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen.running?.progress).toMatch(/slow day 1: timing/);
    expect(seen.runner).toMatchObject({ kind: 'cli', alive: true });
    const html = await (await fetch(server.url)).text();
    expect(html).toMatch(/benchmark|bench run.*in progress since/);
    expect(await exited).toBe(0);
    expect(withDb(base, listJobs)[0]).toMatchObject({ kind: 'bench', requestedBy: 'command line', status: 'done' });
    expect(((await (await fetch(`${server.url}/api/status`)).json()) as { running: unknown }).running).toBeNull();
    expect(stdout).toMatch(/broken.*YAML does not parse/);
  });
});
