import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { listParticipantViews, lastUpdate } from '../../db/queries/views.ts';
import { listAllHistory, listDayResults } from '../../db/queries/results.ts';
import { resultsExport, type ExportParticipant } from '../../lib/export.ts';
import { db, instance, version } from './data.ts';

/**
 * `/api/results.json` at any size: the document is written once per content
 * version, a participant at a time, gzipped into a file, and every request of
 * that version is served from the file as a stream. Memory stays one
 * participant's rows however large the board; requests that arrive while it
 * is being written wait for that one write (coalesced); the version is the
 * ETag, so a client that has it gets 304.
 */
const dir = () => join(tmpdir(), `aocbench-exports-${createHash('sha256').update(instance().dataDir).digest('hex').slice(0, 12)}`);
const writing = new Map<string, Promise<string>>();

export const resultsEtag = (anon: boolean) => `"results-${version()}-${anon ? 'anon' : 'all'}"`;

/** The gzipped document of the current version (written now if it is not yet): its path. */
export function resultsFile(anon: boolean): Promise<string> {
  const v = version();
  const name = `results-${v}-${anon ? 'anon' : 'all'}.json.gz`;
  const path = join(dir(), name);
  if (existsSync(path)) return Promise.resolve(path);
  let w = writing.get(name);
  if (!w) {
    w = write(path, anon, v).finally(() => writing.delete(name));
    writing.set(name, w);
  }
  return w;
}

async function write(path: string, anon: boolean, v: number): Promise<string> {
  mkdirSync(dir(), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  const gz = createGzip({ level: 6 });
  const out = gz.pipe(createWriteStream(tmp, { mode: 0o600 }));
  const put = async (s: string) => {
    if (!gz.write(s)) await once(gz, 'drain');
  };
  const meta = { year: instance().config.year, lastUpdate: lastUpdate(db()) };
  const ps = listParticipantViews(db());
  const head = resultsExport([], [], [], meta);
  await put(`${JSON.stringify({ ...head, participants: undefined }).slice(0, -1)},"participants":[`);
  // Anonymous: a result's input source names a participant too.
  const anonName = new Map(ps.map((p, i) => [p.name, `Participant ${i + 1}`]));
  const hide = <R extends { inputSource: string | null }>(rows: R[]) => (anon ? rows.map((r) => ({ ...r, inputSource: r.inputSource && (anonName.get(r.inputSource) ?? r.inputSource) })) : rows);
  for (const [i, p] of ps.entries()) {
    const shown: ExportParticipant = anon ? { ...p, name: anonName.get(p.name)!, dirName: `participant${i + 1}`, repo: '', subheading: null } : p;
    const [one] = resultsExport([shown], hide(listDayResults(db(), [p.id])), hide(listAllHistory(db(), [p.id])), meta).participants;
    await put(`${i ? ',' : ''}${JSON.stringify(one)}`);
  }
  await put(']}');
  gz.end();
  await once(out, 'finish');
  renameSync(tmp, path);
  // Older versions' documents are of no use any more.
  for (const f of readdirSync(dir())) if (f.startsWith('results-') && !f.startsWith(`results-${v}-`) && !f.endsWith('.tmp')) rmSync(join(dir(), f), { force: true });
  return path;
}

/** What to send for a request of the document: a 304, or the file (gzipped as it is, or unpacked on the way). */
export async function resultsReply(anon: boolean, ifNoneMatch: string | null | undefined, acceptsGzip: boolean): Promise<{ status: 200 | 304; headers: Record<string, string>; file: string | null; gzip: boolean }> {
  const etag = resultsEtag(anon);
  const headers: Record<string, string> = { 'content-type': 'application/json', etag, 'cache-control': 'no-cache', vary: 'Accept-Encoding' };
  if (ifNoneMatch?.split(/\s*,\s*/).includes(etag)) return { status: 304, headers, file: null, gzip: false };
  const file = await resultsFile(anon);
  // When this version's document was written: requests that came together share one write.
  headers['x-aocbench-written'] = String(Math.round(statSync(file).mtimeMs * 1000));
  if (acceptsGzip) headers['content-encoding'] = 'gzip';
  return { status: 200, headers, file, gzip: acceptsGzip };
}
