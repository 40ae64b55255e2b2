import Link from 'next/link';
import { formatDiff, formatTime, methodValue, type Method, type Unit } from '../../lib/format.ts';
import { counts, type LbParticipant } from '../../lib/leaderboard.ts';
import { competitionRanks } from '../../lib/ranking.ts';
import type { ResultView } from '../../db/queries/views.ts';
import { Sparkline } from '../_components/Sparkline.tsx';

const RANK_CLASS = ['', 'gold', 'silver', 'bronze'];

/** One day's ranking: competition ranks (1, 1, 3), differences and the samples' sparkline. */
export function RankingTable(props: {
  day: number;
  participants: LbParticipant[];
  results: ResultView[];
  samples: Map<number, number[]>;
  method: Method;
  unit: Unit;
  anon: boolean;
}) {
  const byId = new Map(props.participants.map((p) => [p.id, p]));
  const entries = props.results
    .filter((r) => r.day === props.day && byId.has(r.participantId) && counts(r))
    // The confidence interval is the median's: other statistics tie only when equal.
    .map((r) => ({ key: String(r.participantId), time: methodValue(r, props.method)!, at: r.runAt, r, ...(props.method === 'median' ? { lo: r.ciLowMs, hi: r.ciHighMs } : {}) }))
    .filter((e) => e.time !== null);
  const ranked = competitionRanks(entries);
  if (!ranked.length) return <p className="muted">No timed results for day {props.day}.</p>;
  return (
    <div className="scroll">
      <table className="grid" data-testid={`ranking-${props.day}`}>
        <thead>
          <tr>
            <th>Rank</th>
            <th>Participant</th>
            <th>Language</th>
            <th>Time</th>
            <th>± (95% CI)</th>
            <th>From first</th>
            <th>From previous</th>
            <th>Runs</th>
          </tr>
        </thead>
        <tbody>
          {ranked.map((e) => {
            const p = byId.get(e.r.participantId)!;
            const cls = RANK_CLASS[e.rank] ?? '';
            return (
              <tr key={e.key}>
                <td className={cls} title={e.tied ? 'tied: the 95% confidence intervals overlap' : undefined}>
                  {e.rank}
                  {e.tied ? '=' : ''}
                </td>
                <td className={cls}>{props.anon ? p.name : <Link href={`/participants/${encodeURIComponent(p.name)}`}>{p.name}</Link>}</td>
                <td>{p.language}</td>
                <td className="time">{formatTime(e.time, props.unit)}</td>
                <td className="time muted">
                  {e.r.ciLowMs !== null && e.r.ciHighMs !== null && e.r.medianMs ? `±${(((e.r.ciHighMs - e.r.ciLowMs) / 2 / e.r.medianMs) * 100).toFixed(1)}%` : ''}
                </td>
                <td className="time">{formatDiff(e.diffFirst, props.unit)}</td>
                <td className="time">{formatDiff(e.diffPrev, props.unit)}</td>
                <td>
                  <Sparkline samples={props.samples.get(e.r.participantId) ?? []} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
