/**
 * `aocbench merge`, the clones: each source's clones copied to the folder the
 * merged config names for that participant in that season, so that the next
 * cycle fetches nothing and runs nothing. Copied as they are: links stay
 * links (never followed), modes and times are kept.
 */
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dataPaths } from '../../lib/data-dir.ts';
import type { InstanceConfig, ParticipantEntry } from '../../lib/instance-config.ts';
import { seasonView } from '../../lib/seasons.ts';
import type { MergeSource } from './merge-config.ts';

/** One clone to copy: from the source's data dir, to its name in the new one. */
export interface ClonePlan {
  clone: string;
  from: string;
  year: number;
  participant: string;
  /** Other seasons that read the same repository and branch, and so this clone (their own sources' copies are not used). */
  sharedWith: number[];
  /** Those of them whose own clone was at another commit: what differs there for them runs again. */
  otherCommit: number[];
}

/** The commit a clone is at (the runner keeps HEAD at a commit id), or null. */
function head(clone: string): string | null {
  try {
    return readFileSync(join(clone, '.git', 'HEAD'), 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * Which clone goes where. Seasons reading one repository and branch share a
 * clone in the merged instance: the newest source's is copied. A participant
 * never synced has no clone, and one whose clone folder is a link is refused.
 */
export function planClones(sources: MergeSource[], merged: InstanceConfig): { plans: ClonePlan[]; missing: string[] } {
  const plans = new Map<string, ClonePlan>();
  const missing: string[] = [];
  for (const s of sources) {
    const target = new Map(seasonView(merged, s.year).participants.map((p: ParticipantEntry) => [p.name, p.clone!]));
    for (const p of seasonView(s.parsed, s.year).participants) {
      const clone = target.get(p.name)!;
      const from = dataPaths(s.inst.dataDir).repo(p);
      const known = plans.get(clone);
      if (known) {
        known.sharedWith.push(s.year);
        if (existsSync(from) && head(from) !== head(known.from)) known.otherCommit.push(s.year);
        continue;
      }
      const st = existsSync(from) ? lstatSync(from) : null;
      if (st && !st.isDirectory()) throw new Error(`merge: ${from} is not a folder (a link?): clones are copied, links never followed`);
      if (!st) {
        missing.push(`${p.name} (${s.year}): no clone in ${from}; the next cycle clones it`);
        continue;
      }
      plans.set(clone, { clone, from, year: s.year, participant: p.name, sharedWith: [], otherCommit: [] });
    }
  }
  return { plans: [...plans.values()], missing };
}

/** Clones already in the new data dir's repos/ folder under a planned name: a merge would not overwrite them. */
export function clonesInTheWay(plans: ClonePlan[], dataDir: string): string[] {
  return plans.map((p) => join(dataPaths(dataDir).repos, p.clone)).filter((d) => existsSync(d));
}

/** Copies every clone into a staging folder beside their final place (the same file system: moving them is a rename). */
export function stageClones(plans: ClonePlan[], dataDir: string): string {
  const staging = join(dataPaths(dataDir).repos, `.merge-${process.pid}`);
  mkdirSync(staging, { recursive: true });
  for (const p of plans) {
    cpSync(p.from, join(staging, p.clone), { recursive: true, verbatimSymlinks: true, dereference: false, preserveTimestamps: true, errorOnExist: true, force: false });
  }
  return staging;
}

/** The staged clones moved to their place, the staging folder removed. */
export function placeClones(plans: ClonePlan[], staging: string, dataDir: string): void {
  for (const p of plans) renameSync(join(staging, p.clone), join(dataPaths(dataDir).repos, p.clone));
  rmSync(staging, { recursive: true, force: true });
}
