import { listCustomInputs } from '../../db/queries/matrix.ts';
import { everySeasonDb, instance } from '../_lib/data.ts';
import { dateTime } from '../_lib/participants.ts';

/** Every custom input, hidden ones included, with its submitter and buttons to hide, show or delete it. */
export function CustomInputs({ csrf }: { csrf: string }) {
  // Every season's: ids are the database's, whichever season an input is of.
  const inputs = listCustomInputs(everySeasonDb(), { includeHidden: true });
  const seasonal = instance().config.seasonal;
  const button = (id: number, action: string, label: string) => (
    <form method="post" action="/api/admin/inputs" style={{ display: 'inline' }}>
      <input type="hidden" name="csrf" value={csrf} />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="action" value={action} />
      <button type="submit" data-testid={`input-${id}-${action}`}>{label}</button>
    </form>
  );
  return (
    <section id="custom-inputs">
      <h2>Custom inputs</h2>
      {inputs.length === 0 ? (
        <p className="muted">None submitted yet (<a href="/matrix/submit">submit one</a>).</p>
      ) : (
        <table className="grid stack" data-testid="custom-inputs">
          <thead>
            <tr>
              <th>Day</th>
              <th>Name</th>
              <th>Size</th>
              <th>Answers</th>
              <th>Submitted</th>
              <th>State</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {inputs.map((c) => (
              <tr key={c.id} data-testid={`input-${c.id}`}>
                <td data-label="Day">{seasonal ? `${c.season} day ${c.day}` : c.day}</td>
                <td data-label="Name">{c.name}</td>
                <td data-label="Size">{Buffer.byteLength(c.input)} bytes</td>
                <td data-label="Answers">{c.part1 || c.part2 ? [c.part1, c.part2].filter(Boolean).join(' / ') : <span className="muted">none (consensus)</span>}</td>
                <td data-label="Submitted">{dateTime(c.createdAt)} by {c.submittedBy}</td>
                <td data-label="State">
                  <span className={`badge ${c.hidden ? 'warning' : 'ok'}`}>{c.hidden ? 'hidden' : 'in the matrix'}</span>
                </td>
                <td>
                  {c.hidden ? button(c.id, 'show', 'show') : button(c.id, 'hide', 'hide')} {button(c.id, 'delete', 'delete')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
