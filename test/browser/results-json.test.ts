import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { listAllHistory, listDayResults } from '../../db/queries/results.ts';
import { lastUpdate, latestHardware, listParticipantViews } from '../../db/queries/views.ts';
import { aocbenchResults } from '../../lib/export.ts';
import { withDb } from '../helpers/instance.ts';
import { seededSite } from '../helpers/web-server.ts';

/**
 * Issue 21: the JSON exports at any size. /api/results.json is written once
 * per content version into a file and streamed from it (gzip for clients
 * that take it), with the version as its ETag; requests that arrive together
 * share one write; smaller documents per participant and per day; the page
 * cache keys only on parameters a view reads.
 */
describe('the JSON exports', () => {
  const site = seededSite();
  const url = (p: string) => `${site.server.url}${p}`;

  it('streams /api/results.json with an ETag, answers 304 to a client that has it, and gzip to one that takes it', async () => {
    const r = await fetch(url('/api/results.json'));
    expect(r.status).toBe(200);
    const etag = r.headers.get('etag');
    expect(etag).toMatch(/^"results-2025-\d+"$/);
    const doc = (await r.json()) as { year: number; participants: Array<{ name: string; days: Record<string, { medianMs: number; samplesMs: number[] }> }> };
    expect(doc.year).toBe(2025);
    expect(doc.participants.map((p) => p.name)).toContain('Ada Lovelace');
    expect(doc.participants.find((p) => p.name === 'Grace Hopper')!.days['1'].medianMs).toBe(12.5);
    expect((await fetch(url('/api/results.json'), { headers: { 'if-none-match': etag! } })).status).toBe(304);
    const { get } = await import('node:http');
    const raw = await new Promise<{ enc: string | undefined; body: Buffer }>((resolve, reject) => {
      get(url('/api/results.json'), { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ enc: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
    expect(raw.enc).toBe('gzip');
    expect(JSON.parse(gunzipSync(raw.body).toString('utf8'))).toEqual(doc);
    // Anonymous: another document, no real name in it.
    const anon = await (await fetch(url('/api/results.json?anon'))).text();
    expect(anon).not.toMatch(/Lovelace|Hopper/);
  });

  it('writes one document for requests that come together, and a new one when the results change', async () => {
    const first = await Promise.all(Array.from({ length: 12 }, () => fetch(url('/api/results.json'))));
    const written = new Set(first.map((r) => r.headers.get('x-aocbench-written')));
    const etags = new Set(first.map((r) => r.headers.get('etag')));
    expect(written.size).toBe(1);
    expect(etags.size).toBe(1);
    const bodies = new Set(await Promise.all(first.map((r) => r.text())));
    expect(bodies.size).toBe(1);
    withDb(site.inst.dir, (db) => db.$client.prepare('UPDATE day_results SET median_ms = 77 WHERE participant_id = ? AND day = 3').run(site.inst.ids['Ada Lovelace']));
    const after = await fetch(url('/api/results.json'), { headers: { 'if-none-match': [...etags][0]! } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe([...etags][0]);
    expect(await after.text()).toContain('"medianMs":77');
  });

  it('AoCBench\'s results.json (also /raw.json) is the same document aocbenchResults makes, written a participant at a time', async () => {
    const want = withDb(site.inst.dir, (db) => {
      const hw = latestHardware(db);
      const hardware = hw ? Object.entries(hw.hardware).map(([k, v]) => `${k}: ${String(v)}`).join('\n') : '';
      return aocbenchResults(listParticipantViews(db), listDayResults(db), listAllHistory(db), { lastUpdate: lastUpdate(db), hardware });
    });
    for (const path of ['/results.json', '/raw.json', '/api/aocbench/results.json']) {
      const r = await fetch(url(path));
      expect(r.headers.get('etag'), path).toMatch(/^"aocbench-2025-\d+"$/);
      expect(await r.json(), path).toEqual(JSON.parse(JSON.stringify(want)));
    }
  });

  it('serves one participant and one day on their own', async () => {
    const ada = (await (await fetch(url(`/api/participants/${encodeURIComponent('Ada Lovelace')}`))).json()) as { name: string; days: Record<string, { samplesMs: number[] }> };
    expect(ada.name).toBe('Ada Lovelace');
    expect(ada.days['1'].samplesMs).toEqual([12.5, 14, 11.25, 13, 12]);
    expect((await fetch(url('/api/participants/Nobody'))).status).toBe(404);
    const day1 = (await (await fetch(url('/api/days/1'))).json()) as { day: number; results: Array<{ name: string; rank: number | null; tied: boolean; status: string }> };
    expect(day1.day).toBe(1);
    // Day 1: Ada and Grace share the gold (their intervals overlap), then Alan.
    expect(day1.results.slice(0, 3).map((r) => [r.name, r.rank])).toEqual([['Ada Lovelace', 1], ['Grace Hopper', 1], ['Alan Turing', 3]]);
    expect((await fetch(url('/api/days/99'))).status).toBe(404);
  });

  it('keys the page cache only on parameters a view reads: junk parameters are the same page', async () => {
    await fetch(url('/rankings?unit=us'));
    const again = await fetch(url(`/rankings?unit=us&utm_source=${Math.random()}&zzz=1`));
    expect(again.headers.get('x-aocbench-cache')).toBe('hit');
    expect(await again.text()).not.toContain('zzz');
  });
});
