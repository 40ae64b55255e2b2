/**
 * `aocbench merge --out NEW.yaml [--data-dir DIR] A.yaml B.yaml …` (issue 24):
 * single-year instances (configs, databases, clones) merged into one
 * instance with `seasons:`, without running anything. The sources are only
 * read. Everything is checked before anything is written; the database is
 * filled in one transaction, the clones staged beside their place, and the
 * config written last, so a failure leaves no half-merged instance.
 */
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { dataPaths } from '../../lib/data-dir.ts';
import type { InstanceConfig } from '../../lib/instance-config.ts';
import { seasonView } from '../../lib/seasons.ts';
import { checkMerged, loadSources, mergedConfig, type MergedEntry, type MergeSource } from './merge-config.ts';
import { clonesInTheWay, placeClones, planClones, stageClones, type ClonePlan } from './merge-clones.ts';
import { mergeDatabases, participantCount, snapshotDb, type RowCounts } from './merge-db.ts';

export interface MergeOptions {
  /** The new instance config; it must not exist. */
  out: string;
  /** The new data dir (default: `data` beside the new config); its database must hold no participant. */
  dataDir?: string;
  /** The single-year instance configs. */
  configs: string[];
  cwd?: string;
}

export interface MergeReport {
  config: string;
  dataDir: string;
  sources: Array<{ year: number; file: string; participants: string[] }>;
  entries: MergedEntry[];
  differing: string[];
  absolute: string[];
  rows: RowCounts;
  clones: ClonePlan[];
  notes: string[];
}

/** What the merge will do, checked: nothing is written yet. */
interface Plan {
  out: string;
  dataDir: string;
  sources: MergeSource[];
  text: string;
  merged: InstanceConfig;
  entries: MergedEntry[];
  differing: string[];
  absolute: string[];
  clones: ClonePlan[];
  missing: string[];
}

/** A daemon holding a data dir's lock: its clones and database may change under the merge. */
function runningDaemon(dataDir: string): number | null {
  const lock = dataPaths(dataDir).lock;
  if (!existsSync(lock)) return null;
  const pid = Number(readFileSync(lock, 'utf8').trim());
  if (!pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

/** Reads the sources and builds the merged config, refusing whatever would make the merge unsafe. */
async function planMerge(o: MergeOptions, tmp: string): Promise<Plan> {
  const cwd = o.cwd ?? process.cwd();
  const out = resolve(cwd, o.out);
  if (existsSync(out)) throw new Error(`merge: ${out} already exists: name a new file with --out`);
  const sources = loadSources(o.configs, cwd);
  const dataDir = resolve(cwd, o.dataDir ?? join(dirname(out), 'data'));
  for (const s of sources) {
    if (s.inst.dataDir === dataDir) throw new Error(`merge: ${dataDir} is ${s.file}'s data dir: the merged instance needs its own (--data-dir)`);
    const pid = runningDaemon(s.inst.dataDir);
    if (pid) throw new Error(`merge: a daemon (pid ${pid}) is running on ${s.inst.dataDir}: stop it first, so that its database and clones stand still`);
  }
  const there = await participantCount(dataPaths(dataDir).db, join(tmp, 'target.db'));
  if (there) throw new Error(`merge: ${dataPaths(dataDir).db} already holds ${there} participant(s): merge into a new data dir`);
  const { text, entries, differing, absolute } = mergedConfig(sources, dataDir, cwd);
  const merged = checkMerged(text, out, sources, cwd);
  const { plans, missing } = planClones(sources, merged);
  const inTheWay = clonesInTheWay(plans, dataDir);
  if (inTheWay.length) throw new Error(`merge: ${inTheWay.join(', ')} already exist(s): merge into a new data dir`);
  return { out, dataDir, sources, text, merged, entries, differing, absolute, clones: plans, missing };
}

/** Merges the instances; throws with nothing written when a source or the target is not fit (see planMerge). */
export async function merge(o: MergeOptions): Promise<MergeReport> {
  const tmp = mkdtempSync(join(tmpdir(), 'aocbench-merge-'));
  try {
    const plan = await planMerge(o, tmp);
    const copies = await Promise.all(plan.sources.map(async (s) => ({ year: s.year, copy: await snapshotDb(dataPaths(s.inst.dataDir).db, join(tmp, `${s.year}.db`)) })));
    const { rows, notes } = write(plan, copies);
    return {
      config: plan.out, dataDir: plan.dataDir, entries: plan.entries, differing: plan.differing, absolute: plan.absolute, rows, clones: plan.clones,
      sources: plan.sources.map((s) => ({ year: s.year, file: s.file, participants: seasonView(plan.merged, s.year).participants.map((p) => p.name) })),
      notes: [...plan.missing, ...notes, ...copies.filter((c) => !c.copy).map((c) => `${c.year}: no database yet, nothing to copy`), ...vmNotes(plan)],
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** A source's VM files (guest kernel, initramfs, root file systems) are not copied: say so where there are some. */
function vmNotes(plan: Plan): string[] {
  return plan.sources
    .filter((s) => existsSync(dataPaths(s.inst.dataDir).vm))
    .map((s) => `${s.year}: ${dataPaths(s.inst.dataDir).vm} is not copied (the VM executor builds its images again; a guest kernel unpacked there goes to ${dataPaths(plan.dataDir).vm}, or name it with vm.kernel)`);
}

/**
 * Writes the merge: the config staged first (its folder is writable), the
 * clones staged, the database filled, then each moved into place. On a
 * failure what it wrote is removed: the folders it made, the database it
 * created (a database that was there, empty, stays empty: one transaction).
 */
function write(plan: Plan, copies: Array<{ year: number; copy: string | null }>): { rows: RowCounts; notes: string[] } {
  const db = dataPaths(plan.dataDir).db;
  const dbExisted = existsSync(db);
  const madeOut = mkdirSync(dirname(plan.out), { recursive: true });
  const madeData = mkdirSync(dataPaths(plan.dataDir).repos, { recursive: true });
  const staged = `${plan.out}.merge-${process.pid}`;
  let clones: string | null = null;
  let placed = false;
  try {
    writeFileSync(staged, plan.text, { flag: 'wx' });
    clones = stageClones(plan.clones, plan.dataDir);
    const done = mergeDatabases(db, copies, { podium: plan.merged.podium, configuredClass: plan.merged.queue?.hardwareClass });
    placeClones(plan.clones, clones, plan.dataDir);
    placed = true;
    // A link fails when the file appeared since: never overwritten.
    linkSync(staged, plan.out);
    return done;
  } catch (e) {
    if (placed) for (const c of plan.clones) rmSync(join(dataPaths(plan.dataDir).repos, c.clone), { recursive: true, force: true });
    else if (clones) rmSync(clones, { recursive: true, force: true });
    if (!dbExisted) for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
    if (madeData) rmSync(madeData, { recursive: true, force: true });
    if (madeOut && !existsSync(plan.out)) rmSync(madeOut, { recursive: true, force: true });
    throw e;
  } finally {
    rmSync(staged, { force: true });
  }
}

/** What `aocbench merge` prints: seasons, participants, rows and clones copied, and what to do next. */
export function mergeReport(r: MergeReport): string {
  const years = r.sources.map((s) => s.year);
  const lines = [`Merged ${r.sources.length} instance(s) into ${r.config} (data dir ${r.dataDir}):`];
  for (const s of r.sources) lines.push(`  season ${s.year} from ${s.file}: ${s.participants.length} participant(s): ${s.participants.join(', ') || 'none'}`);
  lines.push('', 'Participants in the new config:');
  for (const e of r.entries) lines.push(`  ${e.name}: ${e.years.length === years.length ? 'every season' : [...e.years].sort((a, b) => b - a).join(', ')}`);
  const kept = `Instance-wide settings (repeat, limits, podium, executor…): ${years[0]}'s, from ${r.sources[0].file}`;
  lines.push('', r.differing.length ? `${kept}. Other years had other values of (their values are not kept): ${r.differing.join(', ')}.` : `${kept}, the same in every source.`);
  if (r.absolute.length) lines.push(`Written as absolute paths (they resolve against the working directory): ${r.absolute.join(', ')}.`);
  lines.push('', `Rows copied${' '.repeat(8)}${years.map((y) => String(y).padStart(6)).join('')}`);
  for (const [t, n] of Object.entries(r.rows)) lines.push(`  ${t.padEnd(17)}${years.map((y) => String(n[y] ?? 0).padStart(6)).join('')}`);
  lines.push('  (not copied: the job queue, runners, admin sessions, cached views, the news outbox, webhook deliveries;', '   persistence volumes belong to each source\'s data dir: they start empty)');
  lines.push('', `Clones copied: ${r.clones.length}`);
  for (const c of r.clones) {
    lines.push(`  ${c.clone}: ${c.participant}'s of ${c.year}${c.sharedWith.length ? `, shared by ${c.sharedWith.join(', ')} (same repository and branch)` : ''}`);
    if (c.otherCommit.length) lines.push(`    ${c.otherCommit.join(', ')}'s own clone was at another commit: a day whose code differs there runs again`);
  }
  if (r.notes.length) lines.push('', 'Notes:', ...r.notes.map((n) => `  ${n}`));
  lines.push('', 'Next:', `  aocbench bench --config ${r.config}     # runs nothing the sources had measured (fetches only what was pushed since)`, `  AOCBENCH_CONFIG=${r.config} npm run web`);
  return `${lines.join('\n')}\n`;
}
