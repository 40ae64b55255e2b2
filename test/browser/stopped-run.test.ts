import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listJobs } from '../../db/queries/jobs.ts';
import { JOB_RUNNER_STALE_MS } from '../../db/queries/runners.ts';
import { instanceLabel } from '../../runner/host/instance-id.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';
import { startWebServer, type WebServer } from '../helpers/web-server.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const SLOW = '{ s += $1 } END { system("usleep 1500000"); print "Part 1: " s; print "Part 2: " NR }\n';

let base: string;
let config: string;
let server: WebServer;

const banner = async (path: string) => {
  const html = await (await fetch(`${server.url}${path}`)).text();
  const at = html.indexOf('data-testid="status-banner"');
  return at < 0 ? '' : html.slice(at, html.indexOf('</div>', at));
};

beforeAll(async () => {
  base = tempDir('aocbench-stopped-');
  const repo = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`, '1/sol.awk': SLOW, '1/input.txt': '1\n2\n', '1/answers.txt': '3\n2\n' }, base);
  config = writeInstance(base, { year: 2024, days: 1, repeat: { runs: 10, warmup: 0 }, participants: [{ name: 'killed', repo: repo.url }] });
  server = await startWebServer(config);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  // The killed run's sandbox outlives it (that is issue 19's kill -9 row, tested elsewhere): removed here, not left to other tests.
  const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=aocbench.instance=${instanceLabel(join(base, 'data'))}`], { encoding: 'utf8' }).trim();
  if (ids) execFileSync('docker', ['rm', '-f', ...ids.split('\n')], { stdio: 'ignore' });
});

/** A command-line bench killed with -9 leaves its job recorded as running: the site must not say it is in progress. */
describe('a run whose process was killed', () => {
  it('is shown as stopped, not in progress, once its runner has been silent for the limit', async () => {
    const cli = spawn(process.execPath, [BIN, 'bench', '--config', config], { stdio: 'ignore' });
    const job = () => withDb(base, (db) => listJobs(db)[0]);
    const end = Date.now() + 90_000;
    while (Date.now() < end && !/timing/.test(job()?.progress ?? '')) await new Promise((r) => setTimeout(r, 200));
    expect(job()).toMatchObject({ status: 'running' });
    expect(await banner('/')).toMatch(/A bench run is in progress since/);

    cli.kill('SIGKILL');
    await new Promise((r) => (cli.exitCode !== null || cli.signalCode ? r(null) : cli.once('exit', r)));
    expect(job()).toMatchObject({ status: 'running' });
    // Its process is gone and beats no more: as it will look once the limit has passed.
    withDb(base, (db) => db.$client.prepare('update runners set seen_at = seen_at - ?').run(JOB_RUNNER_STALE_MS + 1000));
    const now = await banner('/hardware');
    expect(now).not.toMatch(/in progress/);
    expect(now).toMatch(/stopped without finishing/);
    expect(job()).toMatchObject({ status: 'interrupted' });
    const status = (await (await fetch(`${server.url}/api/status`)).json()) as { running: unknown };
    expect(status.running).toBeNull();
  });
});
