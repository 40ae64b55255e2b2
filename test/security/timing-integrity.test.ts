/**
 * Timing integrity (issue 20): no work done outside a timed run (in prerun, in
 * the untimed check run, in an earlier timed run) can make a timed run faster
 * than the work it does. Played with real Docker, git and SQLite: each of the
 * attacker's days solves the puzzle for real (sleeping WORK_MS) only when it
 * finds no answer saved earlier, and saves its answer everywhere it can write.
 * An honest participant that writes scratch files in every run runs beside it.
 */
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { listParticipants } from '../../db/queries/participants.ts';
import { listDayResults, type DayResultRow } from '../../db/queries/results.ts';
import { bench } from '../../runner/cycle/bench.ts';
import { makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { quietProgress, withDb, writeInstance } from '../helpers/instance.ts';

/** Every real solve sleeps this long. */
const WORK_MS = 300;
const SOLVE = `awk '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }' "$1"`;
const WORK = `usleep ${WORK_MS * 1000}; ${SOLVE}`;
/** The instance's input (the one the runs get) and a different one committed in the repositories. */
const SHARED = '3\n4\n5\n';
const SHARED_ANSWERS = '12\n3\n';
const OWN = '1\n1\n';
/** Where the attacker saves answers: every place a process in the sandbox can write. */
const PLACES = '/tmp /var/tmp /code /cache /root /dev/shm / /etc /usr /var';
/** Saves this run's answer under the input's checksum everywhere, or prints one saved before. */
const CACHED = `key=$(md5sum < "$1" | cut -c1-32)
for d in ${PLACES}; do [ -f "$d/.ans-$key" ] && { cat "$d/.ans-$key"; exit 0; }; done
out=$(${WORK}); echo "$out"
for d in ${PLACES}; do echo "$out" > "$d/.ans-$key" 2>/dev/null; done
exit 0`;

const DAYS: Record<number, { sol: string; prerun?: string }> = {
  // prerun computes the answers of whatever input it finds; the runs print them when the checksum matches.
  1: {
    prerun: `mkdir -p /tmp; f=/code/1/input.txt; [ -f $f ] && { key=$(md5sum < $f | cut -c1-32); awk '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }' $f > /tmp/pre-$key; }; true`,
    sol: `key=$(md5sum < "$1" | cut -c1-32); [ -f /tmp/pre-$key ] && { cat /tmp/pre-$key; exit 0; }; ${WORK}`,
  },
  // The check run (and each run) saves its answer everywhere; later runs print it.
  2: { sol: CACHED },
  // A run writes into a file that was there before it ran (committed): it cannot be put back.
  3: { sol: `[ -s /code/3/state ] && { cat /code/3/state; exit 0; }; out=$(${WORK}); echo "$out"; echo "$out" > /code/3/state` },
  // Leaves a copy of a committed file under two names, and a new directory tree it made unwritable: all removed.
  4: { sol: `mkdir -p /tmp; cp /code/4/keep /code/4/copy; cp /code/4/keep /tmp/moved; mkdir -p /code/4/deep/er; touch /code/4/deep/er/f; chmod 500 /code/4/deep/er /code/4/deep; [ -e /code/4/was-here ] && exit 4; touch /code/4/was-here; ${WORK}` },
};

let results: Record<string, Record<number, DayResultRow>>;

beforeAll(async () => {
  const base = tempDir();
  mkdirSync(join(base, 'inputs'));
  for (let day = 1; day <= 4; day++) {
    writeFileSync(join(base, 'inputs', `${day}.txt`), SHARED);
    writeFileSync(join(base, 'inputs', `${day}.answers.txt`), SHARED_ANSWERS);
  }
  const mallory = makeRepo({
    '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\npersistence: [/cache]\nprerun: sh /code/%day%/prerun.sh\ncmd: sh /code/%day%/sol.sh %input%\n`,
    '3/state': '',
    '4/keep': 'kept\n',
    ...Object.fromEntries(Object.entries(DAYS).flatMap(([d, s]) => [
      [`${d}/sol.sh`, `${s.sol}\n`],
      [`${d}/prerun.sh`, `${s.prerun ?? 'true'}\n`],
      [`${d}/input.txt`, OWN],
    ])),
  }, base);
  // Honest, and untidy: every run writes scratch files in the code copy, /tmp and its persistence dir.
  const alice = makeRepo({
    '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\npersistence: [/cache]\nrunonce: echo warm > /cache/warm\ncmd: sh /code/sol.sh %input%\n`,
    'sol.sh': `mkdir -p /tmp/scratch /code/out; sort -n "$1" > /tmp/scratch/sorted; cp /tmp/scratch/sorted /code/out/s; [ -f /cache/warm ] || exit 3; ${SOLVE.replace('"$1"', '/code/out/s')}\n`,
    ...Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`${i + 1}/input.txt`, OWN])),
  }, base);
  const config = writeInstance(base, {
    year: 2024, days: 4,
    repeat: { runs: 3, warmup: 1, timeoutSec: 10 },
    limits: { memoryMb: 128, pids: 64, outputKb: 64, diskMb: 256 },
    participants: [{ name: 'mallory', repo: mallory.url }, { name: 'alice', repo: alice.url }],
  });
  await bench({ config, progress: quietProgress() });
  // A second session of the same days (forced): nothing saved in the first reaches it either.
  await bench({ config, progress: quietProgress(), force: true });
  results = withDb(base, (db) => {
    const names = new Map(listParticipants(db).map((p) => [p.id, p.name]));
    const out: Record<string, Record<number, DayResultRow>> = {};
    for (const r of listDayResults(db)) (out[names.get(r.participantId)!] ??= {})[r.day] = r;
    return out;
  });
}, 300_000);

describe('timing integrity', () => {
  it('prerun never sees the input the runs get: answers it computed do not make a run fast', () => {
    const d = results.mallory[1];
    expect(d.status).toBe('correct');
    expect(d.minMs!).toBeGreaterThanOrEqual(WORK_MS * 0.9);
  });

  it('nothing the check run or a timed run saved, anywhere in the sandbox, reaches a later run', () => {
    const d = results.mallory[2];
    expect(d.status).toBe('correct');
    expect(d.minMs!).toBeGreaterThanOrEqual(WORK_MS * 0.9);
    expect(d.sampleCount).toBeGreaterThanOrEqual(3);
  });

  it('a run that writes into a file that was there before fails, naming it, and gets no time', () => {
    const d = results.mallory[3];
    expect(d).toMatchObject({ status: 'error', medianMs: null });
    expect(d.message).toMatch(/changed \/code\/3\/state/);
  });

  it('copies, new files and new directories (even unwritable ones) are removed after each run; the day keeps its real time', () => {
    const d = results.mallory[4];
    expect(d.status).toBe('correct');
    expect(d.minMs!).toBeGreaterThanOrEqual(WORK_MS * 0.9);
  });

  it('leaves an honest participant that writes scratch files in every run correct on every day', () => {
    for (let day = 1; day <= 4; day++) expect(results.alice[day].status, `day ${day}`).toBe('correct');
  });
});
