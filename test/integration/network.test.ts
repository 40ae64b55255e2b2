/**
 * Network: runonce gets it only with the admin's per-participant opt-in, and
 * nothing else ever does; a runonce that failed for want of it says how to
 * allow it; Dockerfile builds can be cut off by an instance switch.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { listParticipants } from '../../db/queries/participants.ts';
import { listDayResults, type DayResultRow } from '../../db/queries/results.ts';
import { bench } from '../../runner/cycle/bench.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { quietProgress, withDb, writeInstance } from '../helpers/instance.ts';

const SUM = `awk '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }' "$1"`;
let results: Record<string, DayResultRow>;

beforeAll(async () => {
  const base = tempDir();
  const day = { '1/input.txt': '1\n2\n', '1/answers.txt': '3\n2\n' };
  const repos = {
    online: makeRepo({
      '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\nrunonce: ls /sys/class/net\ncmd: sh 1/run.sh %input%\n`,
      // The timed command prints its interfaces too: the check fails unless the only one is loopback.
      '1/run.sh': `[ "$(ls /sys/class/net)" = lo ] && ${SUM}\n`, ...day,
    }, base),
    offline: makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\nrunonce: wget -q -O /dev/null http://example.com/\ncmd: sh 1/run.sh %input%\n`, '1/run.sh': `${SUM}\n` }, base),
    // A unique Dockerfile (no cached image), whose build records the interfaces it saw.
    builder: makeRepo({
      '.aocbench.yaml': 'version: 1\ndockerfile: Dockerfile\ncmd: sh 1/run.sh %input%\n',
      Dockerfile: `FROM ${BUSYBOX_IMAGE}\nLABEL nonce=${randomBytes(6).toString('hex')}\nRUN ls /sys/class/net > /build-nets\n`,
      '1/run.sh': `[ "$(cat /build-nets)" = lo ] && ${SUM}\n`,
    }, base),
  };
  const config = writeInstance(base, {
    year: 2024, days: 1, repeat: { runs: 2, timeoutSec: 20 }, build: { network: false },
    participants: [{ name: 'online', repo: repos.online.url, runonceNetwork: true }, { name: 'offline', repo: repos.offline.url }, { name: 'builder', repo: repos.builder.url }],
  });
  await bench({ config, progress: quietProgress() });
  results = withDb(base, (db) => {
    const names = new Map(listParticipants(db).map((p) => [p.id, p.name]));
    return Object.fromEntries(listDayResults(db).map((r) => [names.get(r.participantId)!, r]));
  });
}, 300_000);

describe('network', () => {
  it('runonce has it with the admin\'s opt-in; the check and timed runs of the same sandbox do not', () => {
    expect(results.online.runonceOutput?.split(/\s+/).filter(Boolean).sort()).toEqual(['eth0', 'lo']);
    expect(results.online).toMatchObject({ status: 'correct', sampleCount: 2 });
  });

  it('a runonce that fails for want of the network names the opt-in', () => {
    expect(results.offline).toMatchObject({ status: 'error', failedStep: 'runonce' });
    expect(results.offline.message).toMatch(/runonce has no network.*participants\[\]\.runonceNetwork: true/);
  });

  it('builds run without network when the instance says so', () => {
    expect(results.builder.status).toBe('correct');
  });
});
