import { formatTime } from '../../lib/format.ts';
import { RemovedMark } from '../_components/RemovedMark.tsx';
import type { DayHealth } from './model.ts';

const yesNo = (v: boolean | null) => (v === null ? <span className="muted">?</span> : v ? '✓' : <span className="badge error">✗</span>);

/** Per day: exists, input and answers, runonce, verdict with output and expected answers, run length. */
export function DayTable({ days, anon = false }: { days: DayHealth[]; anon?: boolean }) {
  return (
    <div className="scroll">
      <table className="grid health" data-testid="health-days">
        <thead>
          <tr>
            <th>Day</th>
            <th>Status</th>
            <th>Exists</th>
            <th>Input</th>
            <th>Part 1</th>
            <th>Part 2</th>
            <th>Runonce</th>
            <th>Verdict</th>
            <th>Check run</th>
            <th>Day took</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => {
            const r = d.result;
            return (
              <tr key={d.day} data-testid={`health-day-${d.day}`}>
                <th className="day">Day {d.day}</th>
                <td className="status">
                  {d.checked ? <span className={`badge ${d.level}`}>{d.level}</span> : <span className="badge muted">not checked</span>}{' '}
                  <span className="muted">{d.checked ? d.message : 'No run has looked at this day yet.'}</span>
                  {d.notes.map((n) => (
                    <p key={n} className="note" data-testid={`health-note-${d.day}`}>
                      {n}
                    </p>
                  ))}
                </td>
                <td>{yesNo(d.exists)}</td>
                <td>{yesNo(d.hasInput)}</td>
                <td>{yesNo(d.hasPart1)}</td>
                <td>{yesNo(d.hasPart2)}</td>
                <td>
                  {r?.failedStep === 'runonce' ? (
                    // Its output is the verdict's: shown there, open.
                    <span className="badge error">failed</span>
                  ) : r?.runonceOutput != null ? (
                    <details>
                      <summary>
                        <span className="badge ok">ok</span>
                      </summary>
                      <pre className="output">{r.runonceOutput || '(no output)'}</pre>
                    </details>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  {r ? (
                    <details open={r.status !== 'correct'}>
                      <summary>
                        <span className={`badge ${r.status}`}>{r.status}</span> {r.message ?? ''}
                        {r.removedAt ? <RemovedMark at={r.removedAt} /> : null}
                      </summary>
                      {r.expected ? <p className="muted">Expected answers: {expectedText(r.expected)}{r.inputSource && !anon ? ` (input from ${r.inputSource})` : ''}</p> : null}
                      {r.failedStep === 'runonce' ? (
                        <pre className="output" data-testid={`check-output-${d.day}`}>{r.runonceOutput || '(runonce printed nothing)'}</pre>
                      ) : (
                        <pre className="output" data-testid={`check-output-${d.day}`}>{r.checkOutput || '(no output)'}</pre>
                      )}
                    </details>
                  ) : (
                    <span className="muted">not run</span>
                  )}
                </td>
                <td className="time">{r?.checkMs != null ? formatTime(r.checkMs, 'ms') : ''}</td>
                <td className="time">{r?.durationMs != null ? formatTime(r.durationMs, 's') : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function expectedText(json: string): string {
  const a = JSON.parse(json) as { part1: string | null; part2: string | null };
  return `part 1 ${a.part1 ?? '(not checked)'}, part 2 ${a.part2 ?? '(not checked)'}`;
}
