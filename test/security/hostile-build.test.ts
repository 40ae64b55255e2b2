/**
 * Hostile Dockerfiles (issue 20, "Docker builds bounded"), with real Docker,
 * git and SQLite: a build that never ends and a build that writes far more
 * than the image-size cap. Each is stopped and cleaned up, is that
 * participant's `error` with the reason on its image health row, and the
 * honest participant beside it stays correct.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listHealth } from '../../db/queries/health.ts';
import { listParticipants } from '../../db/queries/participants.ts';
import { resultsJson } from '../../runner/report/results-json.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE, imageExists } from '../helpers/images.ts';
import { withDb, writeInstance } from '../helpers/instance.ts';

const BIN = join(import.meta.dirname, '../../bin/aocbench.js');
const DAY = { '1/sol.awk': '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n', '1/input.txt': '3\n4\n5\n', '1/answers.txt': '12\n3\n' };

/** An instance of alice (honest, `image:`) and mallory, whose Dockerfile runs `step` after a LABEL nonce (so no cache and its leftovers can be found). */
function season(build: Record<string, unknown>, step: string): { base: string; config: string; nonce: string; reconfigure(build: Record<string, unknown>): void } {
  const base = tempDir('aocbench-hostile-build-');
  const nonce = randomBytes(8).toString('hex');
  const alice = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`, ...DAY }, base);
  const mallory = makeRepo({
    '.aocbench.yaml': 'version: 1\ndockerfile: Dockerfile\ncmd: awk -f %day%/sol.awk %input%\n',
    Dockerfile: `FROM ${BUSYBOX_IMAGE}\nLABEL aocbench-test-nonce=${nonce}\n${step}\n`,
    ...DAY,
  }, base);
  const write = (b: Record<string, unknown>) =>
    writeInstance(base, {
      year: 2024, days: 1, build: b,
      repeat: { runs: 2, warmup: 0, timeoutSec: 10 },
      participants: [{ name: 'alice', repo: alice.url }, { name: 'mallory', repo: mallory.url }],
    });
  return { base, config: write(build), nonce, reconfigure: write };
}

function bench(config: string): { ms: number; output: string } {
  const start = Date.now();
  const r = spawnSync(process.execPath, [BIN, 'bench', '--config', config], { encoding: 'utf8', timeout: 120_000 });
  expect([0, 1], r.stderr).toContain(r.status);
  return { ms: Date.now() - start, output: r.stdout + r.stderr };
}

function outcome(base: string) {
  return withDb(base, (db) => {
    const mallory = listParticipants(db).find((p) => p.name === 'mallory')!;
    const status = Object.fromEntries(resultsJson(db).participants.map((p) => [p.name, p.days['1']?.status ?? null]));
    return { status, image: listHealth(db).find((h) => h.participantId === mallory.id && h.topic === 'image') };
  });
}

/** Containers and images (intermediate ones included) that carry the nonce's label. */
function leftovers(nonce: string): string[] {
  const filter = `label=aocbench-test-nonce=${nonce}`;
  const out = (args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean);
  return [...out(['ps', '-aq', '--filter', filter]), ...out(['images', '-aq', '--filter', filter])];
}

describe('hostile Docker builds beside an honest participant', () => {
  it('RUN sleep 3600 is stopped at build.timeoutSec, its container and layers removed, the reason on the health page', () => {
    // Half a MB of log first: the health page gets its tail, not all of it.
    const { base, config, nonce } = season({ timeoutSec: 3 }, 'RUN seq 1 100000 && sleep 3600');
    const r = bench(config);
    const o = outcome(base);
    expect(o.status, r.output).toMatchObject({ alice: 'correct', mallory: null });
    expect(o.image?.level).toBe('error');
    expect(o.image?.detail).toMatch(/build stopped after 3 s \(build\.timeoutSec\)/);
    expect(o.image?.detail).toMatch(/^Building aocbench-/);
    expect(o.image?.detail).toMatch(/\n99999\n100000\n/);
    expect(o.image!.detail!.length).toBeLessThan(80_000);
    expect(r.ms).toBeLessThan(45_000);
    expect(leftovers(nonce)).toEqual([]);
  });

  it('a build writing 60 MB with build.maxImageMb 20 is refused by size and its image removed', () => {
    const { base, config, nonce } = season({ maxImageMb: 20 }, 'RUN dd if=/dev/zero of=/big bs=1M count=60');
    const r = bench(config);
    const o = outcome(base);
    expect(o.status, r.output).toMatchObject({ alice: 'correct', mallory: null });
    expect(o.image?.level).toBe('error');
    expect(o.image?.detail).toMatch(/image is \d+ MB, over the 20 MB limit \(build\.maxImageMb\)/);
    const ref = /Image (\S+) is not usable/.exec(o.image!.message)?.[1];
    expect(ref).toMatch(/^aocbench-/);
    expect(imageExists(ref!)).toBe(false);
    expect(leftovers(nonce)).toEqual([]);
  });

  it('an image built under a larger cap is removed and refused once the cap is lowered', () => {
    const { base, config, nonce, reconfigure } = season({ maxImageMb: 200 }, 'RUN dd if=/dev/zero of=/big bs=1M count=60');
    bench(config);
    expect(outcome(base).status).toMatchObject({ alice: 'correct', mallory: 'correct' });
    reconfigure({ maxImageMb: 20 });
    bench(config);
    const o = outcome(base);
    expect(o.image?.level).toBe('error');
    expect(o.image?.detail).toMatch(/over the 20 MB limit \(build\.maxImageMb\)/);
    expect(leftovers(nonce)).toEqual([]);
  });
});
