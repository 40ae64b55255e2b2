/**
 * The news of a cycle: the board's state read before it and after it, the
 * events between the two batched into one message per target (a participant's
 * own breakage to their own target where they have one), queued in the
 * outbox and sent once the cycle's timing is over.
 */
import type { Db } from '../../db/client.ts';
import type { LoadedInstance } from '../../db/instance.ts';
import { enqueueMessage, newsFingerprint, newsState, targetName } from '../../db/queries/news.ts';
import type { NotifyTarget } from '../../lib/instance-config.ts';
import { discordPayload, newsEvents, PERSONAL, slackPayload, webhookPayload, type NewsEvent, type NewsState } from '../../lib/news.ts';
import { deliverDue, type DeliveryReport } from './deliver.ts';

/** How long the end of a command-line run may spend sending news; the rest is sent by the next run or the daemon. */
const SEND_AFTER_RUN_MS = 15_000;

const hasTargets = (inst: LoadedInstance) => inst.config.notify.length > 0 || inst.config.participants.some((p) => p.notify);

/** The state news compares against, or null when nothing is configured to hear it (then nothing is read). */
export function newsBefore(db: Db, inst: LoadedInstance): NewsState | null {
  return hasTargets(inst) ? newsState(db, { podium: inst.config.podium, configuredClass: inst.config.queue?.hardwareClass }) : null;
}

export function payload(kind: NotifyTarget['kind'], title: string, events: NewsEvent[], at = Date.now()): string {
  return JSON.stringify(kind === 'discord' ? discordPayload(title, events) : kind === 'slack' ? slackPayload(title, events) : webhookPayload(title, events, at));
}

/** Queues this cycle's news: one message per target, none when nothing changed. Returns the events. */
export function queueNews(db: Db, inst: LoadedInstance, before: NewsState): NewsEvent[] {
  // Nothing was run and nothing broke (a cycle with no new commit): no news, and the board is not read again.
  if (newsFingerprint(db) === before.fingerprint) return [];
  const events = newsEvents(before, newsState(db, { podium: inst.config.podium, configuredClass: inst.config.queue?.hardwareClass }));
  if (!events.length) return events;
  const own = new Map(inst.config.participants.filter((p) => p.notify).map((p) => [p.name, p.notify!]));
  const batches = new Map<string, { target: NotifyTarget; events: NewsEvent[] }>();
  const add = (t: NotifyTarget, e: NewsEvent) => {
    const k = targetName(t);
    if (!batches.has(k)) batches.set(k, { target: t, events: [] });
    batches.get(k)!.events.push(e);
  };
  for (const e of events) {
    const mine = PERSONAL.has(e.kind) ? own.get(e.participant) : undefined;
    for (const t of mine ? [mine] : inst.config.notify) add(t, e);
  }
  const title = `aocbench ${inst.config.year}`;
  db.$client.transaction(() => {
    for (const { target, events: es } of batches.values()) enqueueMessage(db, target, payload(target.kind, title, es));
  })();
  return events;
}

/** After a command-line run: sends what is due within a bound, so the run ends soon even when a target hangs. */
export function sendNewsNow(db: Db): Promise<DeliveryReport> {
  return deliverDue(db, { until: Date.now() + SEND_AFTER_RUN_MS });
}
