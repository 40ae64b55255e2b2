import type { HealthView } from '../../db/queries/views.ts';
import { shortHash } from '../../lib/format.ts';
import { FLAG_LABEL } from '../../lib/matrix.ts';
import { DayTable } from './DayTable.tsx';
import { LogTail } from './LogTail.tsx';
import type { MatrixHealth } from './load.ts';
import type { DayHealth, Level } from './model.ts';

/** Repository, config, image and per-day health of one participant. */
export function ParticipantHealth({ h, days, level, onlyBad, anon = false, matrix, base = '' }: { h: HealthView; days: DayHealth[]; level: Level; onlyBad: boolean; anon?: boolean; matrix: MatrixHealth; base?: string }) {
  const p = h.participant;
  const u = h.repoUpdate;
  const shownDays = onlyBad ? days.filter((d) => d.level !== 'ok') : days;
  // The runner's message on the image (with the log as detail), for when no image row was recorded.
  const imageHealth = h.messages.find((m) => m.day === 0 && m.topic === 'image');
  return (
    <section data-testid={`health-${p.dirName}`}>
      <h2>
        {anon ? p.name : <a href={`${base}/health/${encodeURIComponent(p.name)}`}>{p.name}</a>} <span className={`badge ${level}`}>{level}</span>
      </h2>
      <div className="cards">
        <div className="card">
          <strong>Repository</strong>
          <dl className="kv">
            <dt>URL</dt>
            <dd>{p.repo}</dd>
            <dt>Branch</dt>
            <dd>{p.branch ?? 'default'}</dd>
            <dt>Last update</dt>
            <dd>{u ? <span className={`badge ${u.ok ? 'ok' : 'error'}`}>{u.ok ? `${u.operation} ok` : `git ${u.failedStep} failed`}</span> : 'never'}</dd>
          </dl>
          {u && !anon ? <LogTail title="git output" text={u.output} open={!u.ok} testId="git-output" /> : null}
        </div>
        <div className="card">
          <strong>Config</strong> <span className={`badge ${p.validationState ?? 'warning'}`}>{p.validationState ?? 'unknown'}</span>
          <ul>
            {h.validationMessages.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
          {p.config && !anon ? (
            <details>
              <summary>effective config</summary>
              <pre className="output">{JSON.stringify(p.config, null, 2)}</pre>
            </details>
          ) : null}
        </div>
        {h.messages.some((m) => m.day === 0 && m.topic === 'decrypt') ? (
          <div className="card" data-testid="health-decrypt">
            <strong>Encrypted inputs</strong>{' '}
            {h.messages
              .filter((m) => m.day === 0 && m.topic === 'decrypt')
              .map((m) => (
                <div key={m.id}>
                  <span className={`badge ${m.level}`}>{m.level === 'ok' ? 'decrypted' : 'not decrypted'}</span> {m.message}
                </div>
              ))}
          </div>
        ) : null}
        <div className="card">
          <strong>Image</strong>{' '}
          {h.image ? <span className={`badge ${h.image.ok ? 'ok' : 'error'}`}>{h.image.ok ? (h.image.built ? 'built' : 'ok') : 'failed'}</span> : <span className="muted">none yet</span>}
          {h.image ? (
            <>
              <dl className="kv">
                <dt>{h.image.kind}</dt>
                <dd>
                  <code>{h.image.ref}</code>
                </dd>
                <dt>id</dt>
                <dd>
                  <code title={h.image.imageId ?? undefined}>{h.image.imageId ? shortHash(h.image.imageId) : '—'}</code>
                </dd>
              </dl>
              <LogTail title="build / pull log" text={h.image.log} open={!h.image.ok} testId="image-log" />
            </>
          ) : imageHealth ? (
            <>
              <p>{imageHealth.message}</p>
              {imageHealth.detail ? <LogTail title="build / pull log" text={imageHealth.detail} open={imageHealth.level === 'error'} testId="image-log" /> : null}
            </>
          ) : null}
        </div>
      </div>
      {shownDays.length ? <DayTable days={shownDays} anon={anon} /> : <p className="muted">All days are fine.</p>}
      {!anon && (matrix.mine.length || matrix.theirs.length) ? <MatrixSummary m={matrix} onlyBad={onlyBad} base={base} /> : null}
    </section>
  );
}

/** The matrix from this participant's side: its code on others' inputs, others' code on its inputs. */
function MatrixSummary({ m, onlyBad, base }: { m: MatrixHealth; onlyBad: boolean; base: string }) {
  const days = [...new Set([...m.mine.map((x) => x.day), ...m.theirs.map((x) => x.day)])].sort((a, b) => a - b);
  const keep = (s: string) => !onlyBad || (s !== 'correct' && s !== 'unchecked');
  return (
    <details open={m.mine.some((x) => x.status !== 'correct' && x.status !== 'unchecked')} data-testid="health-matrix">
      <summary>
        Input matrix{' '}
        {[...m.flags].map(([d, f]) => (
          <span key={d} className="badge error" style={{ marginRight: 4 }}>
            day {d}: {FLAG_LABEL[f]}
          </span>
        ))}
      </summary>
      <table className="grid">
        <thead>
          <tr>
            <th>Day</th>
            <th>Its code on others&apos; inputs</th>
            <th>Others&apos; code on its input</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d}>
              <th className="day">
                <a href={`${base}/matrix/${d}`}>Day {d}</a>
              </th>
              <Badges cells={m.mine.filter((x) => x.day === d && keep(x.status)).map((x) => ({ who: x.input, status: x.status }))} />
              <Badges cells={m.theirs.filter((x) => x.day === d && keep(x.status)).map((x) => ({ who: x.solver, status: x.status }))} />
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** One cell of verdict badges, each naming whose input (or which solver) it is. */
function Badges({ cells }: { cells: Array<{ who: string; status: string }> }) {
  return (
    <td>
      {cells.map((c) => (
        <span key={c.who} className={`badge ${c.status}`} style={{ marginRight: 4 }}>
          {c.who}: {c.status}
        </span>
      ))}
    </td>
  );
}
