import { resultsExport } from '../../../lib/export.ts';
import { cached, instance } from '../../_lib/data.ts';
import { exportRows } from '../../_lib/exports.ts';

export const dynamic = 'force-dynamic';

export function GET(req: Request) {
  const anon = new URL(req.url).searchParams.has('anon');
  return Response.json(cached(`results.json:${anon}`, () => {
    const x = exportRows();
    const ps = anon ? x.participants.map((p, i) => ({ ...p, name: `Participant ${i + 1}`, dirName: `participant${i + 1}`, repo: '', subheading: null })) : x.participants;
    return resultsExport(ps, x.current, x.history, { year: instance().config.year, lastUpdate: x.lastUpdate });
  }));
}
