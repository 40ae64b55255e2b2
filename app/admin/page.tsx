import { jobDurationMs, listJobs } from '../../db/queries/jobs.ts';
import { formatDuration } from '../../lib/format.ts';
import { QueueWorkers } from '../_components/QueueWorkers.tsx';
import { CustomInputs } from './CustomInputs.tsx';
import { adminSession } from '../_lib/admin.ts';
import { db, instance } from '../_lib/data.ts';
import { everySeason } from '../../lib/seasons.ts';
import type { SearchParams } from '../_lib/params.ts';
import { title } from '../_lib/titles.ts';
import { dateTime } from '../_lib/participants.ts';

/** Sign in, queue re-runs, cancel queued jobs and see recent outcomes; every form carries the CSRF token. */
export const metadata = title('Admin');

export default async function AdminPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const session = await adminSession();
  // A run queued here is every open season's: any season's participants and days.
  const cfg = everySeason(instance().all);
  const flash = typeof sp.error === 'string' ? <p className="badge error" data-testid="admin-error">{sp.error}</p> : typeof sp.queued === 'string' ? <p className="badge ok" data-testid="admin-queued">Queued job {sp.queued}.</p> : null;
  if (!session) {
    return (
      <>
        <h1>Admin</h1>
        {flash}
        <form method="post" action="/api/admin/login" className="card submit-form">
          <label>
            Password
            <input name="password" type="password" required autoComplete="current-password" />
          </label>
          <button type="submit">Sign in</button>
        </form>
        <p className="muted">The password is $AOCBENCH_ADMIN_PASSWORD, or the one whose hash is `admin.passwordHash` in the instance config.</p>
      </>
    );
  }
  const jobs = listJobs(db(), 50);
  return (
    <>
      <h1>Admin</h1>
      {flash}
      <form method="post" action="/api/admin/queue" className="card submit-form" data-testid="queue-form">
        <input type="hidden" name="csrf" value={session.csrf} />
        <label>
          What
          <select name="kind" defaultValue="bench">
            <option value="bench">benchmark</option>
            <option value="matrix">input matrix</option>
          </select>
        </label>
        <label>
          Participant
          <select name="participant" defaultValue="">
            <option value="">everyone</option>
            {[...new Set(cfg.participants.map((p) => p.name))].map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Day (empty: all days)
          <input name="day" type="number" min={1} max={cfg.days} />
        </label>
        <label>
          <span>
            <input name="force" type="checkbox" /> force (re-run even when nothing changed)
          </span>
        </label>
        <button type="submit">Queue re-run</button>
      </form>
      <QueueWorkers />
      <h2>Queue and recent jobs</h2>
      <table className="grid" data-testid="jobs">
        <thead>
          <tr>
            <th>#</th>
            <th>What</th>
            <th>Status</th>
            <th>Requested</th>
            <th>Took</th>
            <th>Progress / outcome</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id} data-testid={`job-${j.id}`}>
              <td>{j.id}</td>
              <td>
                {j.kind}
                {j.participant ? ` ${j.participant}` : ''}
                {j.day ? ` day ${j.day}` : ''}
                {j.force ? ' (force)' : ''}
              </td>
              <td>
                <span className={`badge ${j.status === 'done' ? 'ok' : j.status === 'failed' ? 'error' : 'warning'}`}>{j.status}</span>
              </td>
              <td>
                {dateTime(j.createdAt)} by {j.requestedBy}
              </td>
              <td data-testid={`job-${j.id}-took`}>{took(j)}</td>
              <td className="muted">{j.status === 'running' ? j.progress : j.message}</td>
              <td>
                {j.status === 'queued' ? (
                  <form method="post" action="/api/admin/cancel">
                    <input type="hidden" name="csrf" value={session.csrf} />
                    <input type="hidden" name="id" value={j.id} />
                    <button type="submit">cancel</button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <CustomInputs csrf={session.csrf} />
      <form method="post" action="/api/admin/logout" style={{ marginTop: '1rem' }}>
        <input type="hidden" name="csrf" value={session.csrf} />
        <button type="submit">Sign out</button>
      </form>
    </>
  );
}

/** How long it ran (so far); empty for a job that has not started (a re-queued one included). */
function took(j: Parameters<typeof jobDurationMs>[0]): string {
  const ms = jobDurationMs(j);
  return ms === null ? '' : formatDuration(ms);
}
