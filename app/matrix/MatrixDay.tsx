import type { MatrixCellRow, MatrixInputRow } from '../../db/queries/matrix.ts';
import type { LbParticipant } from '../../lib/leaderboard.ts';
import { consensusFor, FLAG_LABEL, matrixFlag, type Consensus } from '../../lib/matrix.ts';


function inputLabel(name: string, owner: LbParticipant | undefined, anon: boolean): string {
  if (name.startsWith('custom:')) return `custom: ${name.slice(7)}`;
  if (name === 'inputs') return 'shared inputs dir';
  return owner ? owner.name : anon ? 'participant' : name;
}

/** One day of the matrix: rows are inputs, columns solvers; a cell opens its output next to the expected answers. */
export function MatrixDay(props: {
  day: number;
  solvers: LbParticipant[];
  inputs: MatrixInputRow[];
  cells: MatrixCellRow[];
  anon: boolean;
}) {
  const { solvers, cells } = props;
  const byKey = new Map(cells.map((c) => [`${c.solverId}/${c.input}`, c]));
  const answersOf = new Map(props.inputs.filter((i) => i.part1 !== null || i.part2 !== null).map((i) => [i.name, { part1: i.part1, part2: i.part2 }]));
  const ownerOf = new Map(props.inputs.map((i) => [i.name, i.ownerId]));
  const participantsById = new Map(solvers.map((s) => [s.id, s]));
  const shownSolvers = solvers.filter((s) => cells.some((c) => c.solverId === s.id));
  if (!shownSolvers.length || !props.inputs.length) return <p className="muted">No matrix runs for day {props.day} yet.</p>;
  return (
    <div className="scroll">
      <table className="grid matrix" data-testid={`matrix-${props.day}`}>
        <thead>
          <tr>
            <th className="corner">input \ solver</th>
            {shownSolvers.map((s) => {
              const own = props.inputs.find((i) => i.ownerId === s.id)?.name ?? '';
              const flag = matrixFlag(s.id, own, cells);
              return (
                <th key={s.id} data-testid={`matrix-solver-${s.id}`}>
                  {s.name}
                  {flag ? (
                    <div>
                      <span className="badge error" data-testid="matrix-flag">
                        {FLAG_LABEL[flag]}
                      </span>
                    </div>
                  ) : null}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {props.inputs.map((input, row) => {
            const known = answersOf.get(input.name);
            const cons: Consensus | null = known ? null : consensusFor(input.name, cells, answersOf);
            return (
              <tr key={input.name} data-testid={`matrix-input-${props.anon ? row : input.name}`}>
                <th className="day">
                  {inputLabel(input.name, participantsById.get(input.ownerId ?? -1), props.anon)}
                  <div className="sub muted">
                    {known
                      ? `answers: ${known.part1 ?? '—'} / ${known.part2 ?? '—'}`
                      : cons
                        ? `consensus (${cons.agree} of ${cons.of} agree, not verified): ${cons.answers.part1 ?? '—'} / ${cons.answers.part2 ?? '—'}`
                        : 'answers unknown'}
                  </div>
                </th>
                {shownSolvers.map((s) => {
                  const c = byKey.get(`${s.id}/${input.name}`);
                  const own = ownerOf.get(input.name) === s.id;
                  if (!c) return <td key={s.id} className={`mx none${own ? ' own' : ''}`} />;
                  return (
                    <td key={s.id} className={`mx ${c.status}${own ? ' own' : ''}`} data-status={c.status}>
                      <details>
                        <summary>
                          {c.status}
                          {own ? ' · own' : ''}
                        </summary>
                        {c.message ? <div className="muted">{c.message}</div> : null}
                        <div className="muted">expected: {c.expected ? Object.values(JSON.parse(c.expected) as Record<string, string | null>).map((x) => x ?? '—').join(' / ') : 'unknown'}</div>
                        <pre className="output">{c.output || '(no output)'}</pre>
                      </details>
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
