import { listParticipantViews, lastUpdate, listResultViews } from '../../../../db/queries/views.ts';
import { counts } from '../../../../lib/leaderboard.ts';
import { competitionRanks } from '../../../../lib/ranking.ts';
import { askedSeason, cached, db, instance } from '../../../_lib/data.ts';

export const dynamic = 'force-dynamic';

/** One day for every participant: verdict, statistics, rank (competition ranks by median, ties by interval), memory and CPU time; no samples. */
export async function GET(req: Request, { params }: { params: Promise<{ day: string }> }) {
  const day = Number((await params).day.replace(/\.json$/, ''));
  // `?season=YEAR`: that season's day (the newest's by default).
  const season = askedSeason(new URL(req.url));
  if (season === null) return Response.json({ error: 'no such season' }, { status: 404 });
  if (!Number.isInteger(day) || day < 1 || day > instance(season).config.days) return Response.json({ error: 'no such day' }, { status: 404 });
  const names = new Map(cached('participants', () => listParticipantViews(db(season)), season).map((p) => [p.id, p.name]));
  const rows = listResultViews(db(season), day).filter((r) => names.has(r.participantId));
  const ranked = new Map(
    competitionRanks(rows.filter((r) => counts(r) && r.medianMs !== null).map((r) => ({ key: String(r.participantId), time: r.medianMs!, lo: r.ciLowMs, hi: r.ciHighMs, at: r.runAt })))
      .map((r) => [Number(r.key), r]),
  );
  return Response.json({
    year: season, day, lastUpdate: lastUpdate(db(season)),
    results: rows
      .map((r) => ({
        name: names.get(r.participantId)!, status: r.status, rank: ranked.get(r.participantId)?.rank ?? null, tied: ranked.get(r.participantId)?.tied ?? false,
        medianMs: r.medianMs, ciLowMs: r.ciLowMs, ciHighMs: r.ciHighMs, minMs: r.minMs, maxMs: r.maxMs, samples: r.samples, stopReason: r.stopReason,
        peakMemoryKb: r.peakMemoryKb, userMs: r.userMs, sysMs: r.sysMs, version: r.version, runAt: new Date(r.runAt).toISOString(), removed: !!r.removedAt,
      }))
      .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.name.localeCompare(b.name)),
  });
}
