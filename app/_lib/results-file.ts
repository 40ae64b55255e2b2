import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { latestHardware, lastUpdate, listParticipantViews, type ParticipantView } from '../../db/queries/views.ts';
import { listAllHistory, listDayResults } from '../../db/queries/results.ts';
import { aocbenchResults, resultsExport, type ExportParticipant, type ExportRow } from '../../lib/export.ts';
import { askedSeason, db, instance, version } from './data.ts';

/**
 * The whole-board JSON exports at any size (/api/results.json, and
 * AoCBench's results.json): each document is written once per content
 * version, a participant at a time, gzipped into a file, and every request of
 * that version is served from the file as a stream. Memory stays one
 * participant's rows however large the board; requests that arrive while it
 * is being written wait for that one write (coalesced); the version is the
 * ETag, so a client that has it gets 304.
 */
export type ExportKind = 'results' | 'results-anon' | 'aocbench';
/** A document: its kind and its season (`?season=`, the newest by default). */
export interface ExportDoc {
  kind: ExportKind;
  season: number;
}

/** A document as a head, one piece per participant and a tail. */
interface Doc {
  head: string;
  part: (p: ParticipantView, i: number, current: ExportRow[], history: ExportRow[]) => string;
  separator: string;
  tail: string;
}

function docOf(kind: ExportKind, season: number, ps: ParticipantView[]): Doc {
  const updated = lastUpdate(db(season));
  if (kind === 'aocbench') {
    const hw = latestHardware(db(season));
    const hardware = hw ? Object.entries(hw.hardware).map(([k, v]) => `${k}: ${String(v)}`).join('\n') : '';
    const meta = { lastUpdate: updated, hardware };
    const { results: _, ...rest } = aocbenchResults([], [], [], meta);
    return {
      head: '{"results":{',
      part: (p, _i, cur, hist) => Object.entries(aocbenchResults([p], cur, hist, meta).results).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(','),
      separator: ',',
      tail: `},${JSON.stringify(rest).slice(1)}`,
    };
  }
  const anon = kind === 'results-anon';
  const meta = { year: season, lastUpdate: updated };
  // Anonymous: a result's input source names a participant too.
  const anonName = new Map(ps.map((p, i) => [p.name, `Participant ${i + 1}`]));
  const hide = (rows: ExportRow[]) => (anon ? rows.map((r) => ({ ...r, inputSource: r.inputSource && (anonName.get(r.inputSource) ?? r.inputSource) })) : rows);
  const { participants: _, ...head } = resultsExport([], [], [], meta);
  return {
    head: `${JSON.stringify(head).slice(0, -1)},"participants":[`,
    part: (p, i, cur, hist) => {
      const shown: ExportParticipant = anon ? { ...p, name: anonName.get(p.name)!, dirName: `participant${i + 1}`, repo: '', subheading: null } : p;
      return JSON.stringify(resultsExport([shown], hide(cur), hide(hist), meta).participants[0]);
    },
    separator: ',',
    tail: ']}',
  };
}

const dir = () => join(tmpdir(), `aocbench-exports-${createHash('sha256').update(instance().dataDir).digest('hex').slice(0, 12)}`);
const writing = new Map<string, Promise<string>>();

export const exportEtag = (d: ExportDoc) => `"${d.kind}-${d.season}-${version()}"`;

/** The gzipped document of the current version (written now if it is not yet): its path. */
export function exportFile(d: ExportDoc): Promise<string> {
  const v = version();
  const name = `${d.kind}-${d.season}-${v}.json.gz`;
  const path = join(dir(), name);
  if (existsSync(path)) return Promise.resolve(path);
  let w = writing.get(name);
  if (!w) {
    w = write(path, d, v).finally(() => writing.delete(name));
    writing.set(name, w);
  }
  return w;
}

async function write(path: string, { kind, season }: ExportDoc, v: number): Promise<string> {
  mkdirSync(dir(), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  const gz = createGzip({ level: 6 });
  const out = gz.pipe(createWriteStream(tmp, { mode: 0o600 }));
  const put = async (s: string) => {
    if (!gz.write(s)) await once(gz, 'drain');
  };
  const ps = listParticipantViews(db(season));
  const doc = docOf(kind, season, ps);
  await put(doc.head);
  for (const [i, p] of ps.entries()) {
    const piece = doc.part(p, i, listDayResults(db(season), [p.id]), listAllHistory(db(season), [p.id]));
    await put(`${i && piece ? doc.separator : ''}${piece}`);
  }
  await put(doc.tail);
  gz.end();
  await once(out, 'finish');
  renameSync(tmp, path);
  // Other versions' documents are of no use any more (a reader still sending one keeps its open file).
  for (const f of readdirSync(dir())) if (f.startsWith(`${kind}-${season}-`) && f !== `${kind}-${season}-${v}.json.gz` && !f.endsWith('.tmp')) rmSync(join(dir(), f), { force: true });
  return path;
}

/** What to send for a request of a document: a 304, or the file (gzipped as it is, or to be unpacked on the way). */
export async function exportReply(kind: ExportDoc, ifNoneMatch: string | null | undefined, acceptsGzip: boolean): Promise<{ status: 200 | 304; headers: Record<string, string>; file: string | null; gzip: boolean }> {
  const etag = exportEtag(kind);
  const headers: Record<string, string> = { 'content-type': 'application/json', etag, 'cache-control': 'no-cache', vary: 'Accept-Encoding' };
  if (ifNoneMatch?.split(/\s*,\s*/).includes(etag)) return { status: 304, headers, file: null, gzip: false };
  const file = await exportFile(kind);
  // When this version's document was written: requests that came together share one write.
  headers['x-aocbench-written'] = String(Math.round(statSync(file).mtimeMs * 1000));
  if (acceptsGzip) headers['content-encoding'] = 'gzip';
  return { status: 200, headers, file, gzip: acceptsGzip };
}

/** Which document a URL asks for, or null. */
export function exportKindOf(url: string): ExportDoc | null {
  const u = new URL(url, 'http://x');
  const kind: ExportKind | null = u.pathname === '/api/results.json' ? (u.searchParams.has('anon') ? 'results-anon' : 'results')
    : ['/api/aocbench/results.json', '/results.json', '/raw.json'].includes(u.pathname) ? 'aocbench' : null;
  const season = kind ? askedSeason(u) : null;
  return kind && season !== null ? { kind, season } : null;
}
