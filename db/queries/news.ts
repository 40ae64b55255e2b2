/**
 * The board's state as news reads it (lib/news.ts NewsState), and the outbox
 * of messages (schema notifications).
 */
import type { NewsState } from '../../lib/news.ts';
import type { NotifyTarget } from '../../lib/instance-config.ts';
import { prepared, seasonSql, type Db } from '../client.ts';
import { defaultRanking } from './board.ts';

/** The board without options (median, every participant, the default hardware class): its medals and leader, every result, every best, every breakage. */
export function newsState(db: Db, o: { podium: boolean; configuredClass?: string }): NewsState {
  return db.$client.transaction((): NewsState => {
    // The board the site shows (and the one the runner stores after a cycle: read, not ranked twice).
    const ranking = defaultRanking(db, o);
    const medals: NewsState['medals'] = {};
    if (o.podium) {
      for (const d of ranking.days) d.ids.forEach((id, i) => d.places[i] <= 3 && (medals[`${id}/${d.day}`] = (['gold', 'silver', 'bronze'] as const)[d.places[i] - 1]));
    }
    const results: NewsState['results'] = {};
    for (const r of prepared(db, `SELECT participant_id AS p, day, status, median_ms AS m, version AS v FROM day_results WHERE removed_at IS NULL${seasonSql(db, 'participant_id', 'AND')}`).all() as Array<{ p: number; day: number; status: string; m: number | null; v: string }>) {
      results[`${r.p}/${r.day}`] = { status: r.status, medianMs: r.m, version: r.v };
    }
    const best: NewsState['best'] = {};
    const bests = prepared(
      db,
      `SELECT p, day, min(m) AS m FROM (SELECT participant_id AS p, day, median_ms AS m FROM day_results WHERE status = 'correct' UNION ALL SELECT participant_id, day, median_ms FROM day_history WHERE status = 'correct') WHERE m IS NOT NULL${seasonSql(db, 'p', 'AND')} GROUP BY p, day`,
    ).all() as Array<{ p: number; day: number; m: number }>;
    for (const b of bests) best[`${b.p}/${b.day}`] = b.m;
    const names: NewsState['names'] = {};
    const broken: NewsState['broken'] = {};
    const rows = prepared(db, `SELECT p.id, p.name, p.validation_state AS config, i.ok AS image FROM participants p LEFT JOIN images i ON i.participant_id = p.id${seasonSql(db, 'p.id')}`).all() as Array<{ id: number; name: string; config: string | null; image: number | null }>;
    for (const p of rows) {
      names[p.id] = p.name;
      broken[p.id] = p.config === 'error' ? 'its config is not valid' : p.image === 0 ? 'its image failed to build' : null;
    }
    const leader = ranking.order.length && ranking.days.length ? ranking.order[0] : null;
    return { fingerprint: newsFingerprint(db), names, medals, leader, points: ranking.points, results, best, broken };
  }).deferred();
}

/**
 * A few numbers that move whenever news could: a day run (results counted, the last run's time), a day
 * removed, an image or a config that turned good or bad. A cycle in which nothing was run moves none of
 * them, though it writes its own rows (cycles, repository checks) that the content version counts.
 */
export function newsFingerprint(db: Db): string {
  return prepared(
    db,
    `SELECT (SELECT count(*) || ':' || coalesce(max(run_at), 0) || ':' || count(removed_at) FROM day_results${seasonSql(db)})
      || '|' || (SELECT coalesce(group_concat(participant_id || '=' || ok, ','), '') FROM (SELECT participant_id, ok FROM images${seasonSql(db)} ORDER BY participant_id))
      || '|' || (SELECT coalesce(group_concat(id || '=' || coalesce(validation_state, ''), ','), '') FROM (SELECT id, validation_state FROM participants${seasonSql(db, 'id')} ORDER BY id))`,
  ).pluck().get() as string;
}

export const targetName = (t: NotifyTarget) => `${t.kind}:${t.urlEnv}`;

export function enqueueMessage(db: Db, t: NotifyTarget, body: string, now = Date.now()): void {
  prepared(db, 'INSERT INTO notifications (target, kind, url_env, secret_env, body, created_at, next_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(targetName(t), t.kind, t.urlEnv, t.secretEnv ?? null, body, now, now);
}

export interface Outgoing {
  id: number;
  target: string;
  kind: NotifyTarget['kind'];
  urlEnv: string;
  secretEnv: string | null;
  body: string;
  attempts: number;
}

export function dueMessages(db: Db, now = Date.now()): Outgoing[] {
  return prepared(db, "SELECT id, target, kind, url_env AS urlEnv, secret_env AS secretEnv, body, attempts FROM notifications WHERE status = 'pending' AND next_at <= ? ORDER BY id").all(now) as Outgoing[];
}

/** When the next pending message is due (ms), or null. */
export function nextDue(db: Db): number | null {
  return (prepared(db, "SELECT min(next_at) FROM notifications WHERE status = 'pending'").pluck().get() as number | null) ?? null;
}

export function markSent(db: Db, id: number, now = Date.now()): void {
  prepared(db, "UPDATE notifications SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?").run(now, id);
  // Kept a week: enough to see what went out; the outbox does not grow for ever.
  prepared(db, "DELETE FROM notifications WHERE status != 'pending' AND created_at < ?").run(now - 7 * 86_400_000);
}

export function markRetry(db: Db, id: number, error: string, nextAt: number): void {
  prepared(db, 'UPDATE notifications SET attempts = attempts + 1, last_error = ?, next_at = ? WHERE id = ?').run(error, nextAt, id);
}

export function markFailed(db: Db, id: number, error: string): void {
  prepared(db, "UPDATE notifications SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?").run(error, id);
}

/** Per target: the newest delivery that went wrong (still retried, or given up) since one last went through, for the health page. */
export function deliveryProblems(db: Db): Array<{ target: string; status: string; attempts: number; lastError: string; createdAt: number; nextAt: number }> {
  return prepared(
    db,
        // Only since the target last took a message: a target that works again has no problem.
    "SELECT target, status, attempts, last_error AS lastError, created_at AS createdAt, next_at AS nextAt FROM notifications n WHERE id IN (SELECT max(id) FROM notifications WHERE last_error IS NOT NULL GROUP BY target) AND id > coalesce((SELECT max(id) FROM notifications s WHERE s.target = n.target AND s.status = 'sent'), 0) ORDER BY target",
  ).all() as ReturnType<typeof deliveryProblems>;
}
