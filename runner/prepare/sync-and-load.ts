import PQueue from 'p-queue';
import { dataPaths } from '../../lib/data-dir.ts';
import { dirName, type ParticipantEntry } from '../../lib/instance-config.ts';
import type { Db } from '../../db/client.ts';
import { clearHealth, setHealth } from '../../db/queries/health.ts';
import { recordRepoUpdate, setParticipantConfig, upsertParticipant } from '../../db/queries/participants.ts';
import { markRemovedDays } from '../../db/queries/results.ts';
import type { LoadedInstance } from '../../db/instance.ts';
import { syncRepo, type SyncResult } from '../git/sync.ts';
import { gitLimits } from '../git/env.ts';
import { remoteHeads } from '../git/heads.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { anchored } from '../../lib/select.ts';
import { loadParticipantState, type ParticipantState } from './participant-state.ts';
import type { Profile } from '../report/profile.ts';
import type { Progress } from '../report/progress.ts';

/** What both `bench` and `matrix` do first: sync the repos and read their committed content. */

/** Repos are fetched a few at a time: network-bound, and nothing is timed while it happens. */
const SYNC_CONCURRENCY = 4;

/** Each repo's git sync and load are counted in `profile` as overlapped work: several run side by side. */
export async function syncAndLoad(inst: LoadedInstance, db: Db, opts: { participant?: string; noUpdate?: boolean; synced?: Map<string, SyncResult> }, progress: Progress, profile?: Profile) {
  const pRe = anchored(opts.participant);
  const queue = new PQueue({ concurrency: SYNC_CONCURRENCY });
  // The cycle's bookkeeping is one transaction, not several per participant: ids first, every other write after the syncs.
  const pids = inTransaction(db, () => inst.config.participants.map((entry, position) =>
    upsertParticipant(db, { name: entry.name, dirName: dirName(entry.name), repo: entry.repo, branch: entry.branch, subheading: entry.subheading, position })));
  const writes: Array<() => void> = [];
  // Every selected clone's remote asked for its head at once: an unchanged one needs no other git at all.
  // A clone another season of this run already synced (one repository holding several years) is not fetched again: its outcome is reused.
  const fetched = (entry: ParticipantEntry) => opts.synced?.has(dataPaths(inst.dataDir).repo(entry)) ?? false;
  const heads = opts.noUpdate ? new Map<string, string | null>() : await remoteHeads(
    inst.config.participants
      .filter((entry) => (!pRe || pRe.test(entry.name) || pRe.test(dirName(entry.name))) && !fetched(entry) && existsSync(join(dataPaths(inst.dataDir).repo(entry), '.git', 'HEAD')))
      .map((entry) => ({ url: entry.repo, branch: entry.branch, dir: dataPaths(inst.dataDir).repo(entry) })),
    gitLimits(inst.config.git),
  );
  const one = async (entry: ParticipantEntry, position: number) => {
    const pid = pids[position];
    const w = (write: () => void) => writes.push(write);
    const selected = !pRe || pRe.test(entry.name) || pRe.test(dirName(entry.name));
    // With --no-update the clone is as the last sync left it.
    let synced = true;
    if (selected && !opts.noUpdate) {
      const t = performance.now();
      const sync = await syncClone(inst, entry, heads, opts.synced, progress);
      profile?.add('sync', performance.now() - t, true);
      w(() => recordRepoUpdate(db, pid, { ok: sync.ok, operation: sync.operation, failedStep: sync.failedStep, output: sync.output, head: sync.head }));
      synced = sync.ok;
      if (sync.ok) w(() => setHealth(db, pid, 0, 'repo', 'ok', `Repository ${sync.operation === 'clone' ? 'cloned' : 'updated'} at ${sync.head?.slice(0, 12)}.`));
      else {
        w(() => setHealth(db, pid, 0, 'repo', 'error', `${sync.refused ? `Repository refused: ${sync.refused}` : `git ${sync.failedStep} failed`}; results from the last good update are kept.`, sync.output));
        progress.info(`${entry.name}: git ${sync.failedStep} failed: ${sync.output.trim().split('\n').slice(1).join(' ').slice(0, 300)}`);
      }
    }
    let state: ParticipantState;
    const loading = performance.now();
    try {
      state = await loadParticipantState(inst.config, inst.dataDir, entry);
    } catch (e) {
      state = {
        entry, dirName: dirName(entry.name), repoDir: '', tree: null, config: null, raw: null, days: new Map(), decryptProblem: null,
        validation: { state: 'error', messages: [`Cannot read the repository: ${(e as Error).message}`] },
      };
    }
    profile?.add('load', performance.now() - loading, true);
    if (selected && state.tree) {
      // The plaintext reaches the code copy and the build context from the tree; the clone keeps the ciphertext.
      const dec = state.tree.decrypted.size;
      const problem = state.decryptProblem;
      if (problem) w(() => setHealth(db, pid, 0, 'decrypt', 'error', `${problem}; this participant's inputs are left out of shared inputs and the matrix.`));
      else if (dec) w(() => setHealth(db, pid, 0, 'decrypt', 'ok', `Decrypted ${dec} transcrypt file(s).`));
      else w(() => clearHealth(db, pid, 0, 'decrypt'));
    }
    if (selected) {
      const { config, validation } = state;
      w(() => {
        setParticipantConfig(db, pid, { config, language: config?.language ?? [], state: validation.state, messages: validation.messages });
        setHealth(db, pid, 0, 'config', validation.state, validation.messages.join('\n'));
      });
    }
    // Days gone from the committed tree are marked removed; a failed sync or a broken config says nothing about which days exist.
    if (selected && synced && state.tree && state.config && state.validation.state !== 'error') {
      const days = [...state.days.values()];
      w(() => {
        const gone = markRemovedDays(db, pid, days);
        if (gone.removed.length) later.push(`${entry.name}: day ${gone.removed.join(', ')} gone from the repository; kept as removed, out of points`);
      });
    }
    return { state, pid, selected };
  };
  const later: string[] = [];
  const states = await Promise.all(inst.config.participants.map((entry, position) => queue.add(() => one(entry, position))));
  inTransaction(db, () => {
    for (const write of writes) write();
  });
  // After the commit: a progress line may be written on another connection, which would wait on this transaction.
  for (const line of later) progress.info(line);
  return states;
}

/** A participant's clone fetched, or its outcome earlier in this run (another season of the same repository). */
async function syncClone(inst: LoadedInstance, entry: ParticipantEntry, heads: Map<string, string | null>, synced: Map<string, SyncResult> | undefined, progress: Progress): Promise<SyncResult> {
  const dir = dataPaths(inst.dataDir).repo(entry);
  const known = synced?.get(dir);
  if (known) return known;
  progress.info(`${entry.name}: updating ${entry.repo}`);
  const sync = await syncRepo(entry.repo, dir, entry.branch, undefined, gitLimits(inst.config.git), heads.get(dir));
  synced?.set(dir, sync);
  return sync;
}

/** One participant as a cycle plans with it: its committed state, its row id, and whether -p selected it. */
export type LoadedParticipant = Awaited<ReturnType<typeof syncAndLoad>>[number];

function inTransaction<T>(db: Db, work: () => T): T {
  return db.$client.transaction(work)();
}
