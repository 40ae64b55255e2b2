import type { HealthView } from '../../db/queries/views.ts';
import { DayTable } from './DayTable.tsx';
import type { DayHealth, Level } from './model.ts';

/** Repository, config, image and per-day health of one participant. */
export function ParticipantHealth({ h, days, level, onlyBad, anon = false }: { h: HealthView; days: DayHealth[]; level: Level; onlyBad: boolean; anon?: boolean }) {
  const p = h.participant;
  const u = h.repoUpdate;
  const shownDays = onlyBad ? days.filter((d) => d.level !== 'ok') : days;
  return (
    <section data-testid={`health-${p.dirName}`}>
      <h2>
        {anon ? p.name : <a href={`/health/${encodeURIComponent(p.name)}`}>{p.name}</a>} <span className={`badge ${level}`}>{level}</span>
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
          {u && !anon ? (
            <details open={!u.ok}>
              <summary>git output</summary>
              <pre className="output">{u.output}</pre>
            </details>
          ) : null}
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
                  <code>{h.image.imageId?.slice(7, 19) ?? '—'}</code>
                </dd>
              </dl>
              <details open={!h.image.ok}>
                <summary>build / pull log</summary>
                <pre className="output">{h.image.log || '(empty)'}</pre>
              </details>
            </>
          ) : null}
        </div>
      </div>
      {shownDays.length ? <DayTable days={shownDays} anon={anon} /> : <p className="muted">All days are fine.</p>}
    </section>
  );
}
