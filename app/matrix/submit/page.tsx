import Link from 'next/link';
import { listCustomInputs, listMatrixStatuses } from '../../../db/queries/matrix.ts';
import { customInputName } from '../../../lib/matrix.ts';
import { adminSession } from '../../_lib/admin.ts';
import { db, instance } from '../../_lib/data.ts';
import { enterSeason } from '../../_lib/season.ts';
import type { SearchParams } from '../../_lib/params.ts';
import { title } from '../../_lib/titles.ts';

/** A plain form posting to /api/inputs; works without JavaScript. */
export const metadata = title('Submit a custom input');

export default async function SubmitInputPage({ params, searchParams }: { params?: Promise<{ season?: string }>; searchParams: SearchParams }) {
  const { base, year } = await enterSeason(params);
  const sp = await searchParams;
  const cfg = instance().config;
  const ran = new Set(listMatrixStatuses(db()).map((c) => `${c.day}/${c.input}`));
  const inputs = listCustomInputs(db());
  const session = await adminSession();
  const tokens = cfg.customInputs.tokens.length > 0 || !!process.env.AOCBENCH_ADMIN_TOKEN;
  return (
    <>
      <h1>Submit a custom input</h1>
      <p className="muted">
        A tricky input for everyone&apos;s solutions: it becomes a row of the <Link href={`${base}/matrix`}>input matrix</Link> on the next matrix run. Up to {cfg.customInputs.maxKb} KiB of text; answers are optional (without
        them the matrix shows what most solutions agree on).{' '}
        <span data-testid="submit-who">
          {session
            ? 'You are signed in as the admin: no token is needed.'
            : tokens
              ? 'A submission token (ask the operator) or the admin token is needed; the admin can sign in instead.'
              : 'Only the admin can submit here: sign in on the admin page. (To let others submit, the operator adds tokens to customInputs.tokens in the instance config.)'}
        </span>
      </p>
      {typeof sp.submitted === 'string' ? (
        <p className="badge ok" data-testid="submit-ok">
          Queued: {sp.submitted}
        </p>
      ) : null}
      {typeof sp.error === 'string' ? (
        <p className="badge error" data-testid="submit-error">
          {sp.error}
        </p>
      ) : null}
      <form method="post" action={base ? `/api/inputs?season=${year}` : '/api/inputs'} encType="multipart/form-data" className="card submit-form">
        <label>
          Day
          <input name="day" type="number" min={1} max={cfg.days} required />
        </label>
        <label>
          Name
          <input name="name" required pattern="[A-Za-z0-9][A-Za-z0-9_-]{0,39}" placeholder="all-zeros" />
        </label>
        <label>
          Input (paste)
          <textarea name="input" rows={8} />
        </label>
        <label>
          …or input file
          <input name="file" type="file" accept="text/plain" />
        </label>
        <label>
          Part 1 answer (optional)
          <input name="part1" />
        </label>
        <label>
          Part 2 answer (optional)
          <input name="part2" />
        </label>
        {session ? (
          <input type="hidden" name="csrf" value={session.csrf} />
        ) : (
          <label>
            Token {tokens ? null : <Link href="/admin">(or sign in)</Link>}
            <input name="token" type="password" required autoComplete="off" />
          </label>
        )}
        <button type="submit">Submit</button>
      </form>
      <h2>Custom inputs</h2>
      <table className="grid" data-testid="custom-inputs">
        <thead>
          <tr>
            <th>Day</th>
            <th>Name</th>
            <th>Answers</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {inputs.map((c) => (
            <tr key={c.id} data-testid={`custom-${c.day}-${c.name}`}>
              <td>{c.day}</td>
              <td>{c.name}</td>
              <td>{c.part1 !== null || c.part2 !== null ? `${c.part1 ?? '—'} / ${c.part2 ?? '—'}` : 'unknown'}</td>
              <td>{ran.has(`${c.day}/${customInputName(c.name)}`) ? <Link href={`${base}/matrix/${c.day}`}>in the matrix</Link> : <span className="badge warning">queued</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
