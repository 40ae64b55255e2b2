/**
 * `aocbench notify --test`: a sample message to every configured target, sent
 * now, each outcome printed (through the outbox, as real news goes, so the
 * health page shows a failing target too).
 */
import { openDataDb } from '../../db/client.ts';
import { everySeason } from '../../lib/seasons.ts';
import { loadInstance } from '../../db/instance.ts';
import { enqueueMessage, targetName } from '../../db/queries/news.ts';
import type { NotifyTarget } from '../../lib/instance-config.ts';
import type { NewsEvent } from '../../lib/news.ts';
import { deliverDue } from '../notify/deliver.ts';
import { payload } from '../notify/news-step.ts';

const SAMPLE: NewsEvent[] = [
  { kind: 'podium', participantId: 0, participant: 'Ada (sample)', day: 1, medal: 'gold', medianMs: 1.23 },
  { kind: 'leader', participantId: 0, participant: 'Ada (sample)', points: 4 },
];

export async function notifyTest(config: string | undefined, out: (line: string) => void): Promise<boolean> {
  const inst = loadInstance(config);
  const targets = new Map<string, NotifyTarget>();
  // Every season's participants' own targets too.
  for (const t of [...inst.config.notify, ...everySeason(inst.all).participants.flatMap((p) => (p.notify ? [p.notify] : []))]) targets.set(targetName(t), t);
  if (!targets.size) {
    out('no notify targets are configured (notify: in the instance config, or a participant\'s notify:)');
    return false;
  }
  const db = openDataDb(inst.dataDir);
  try {
    const title = `aocbench ${inst.config.year}: a test message from \`aocbench notify --test\``;
    for (const t of targets.values()) enqueueMessage(db, t, payload(t.kind, title, SAMPLE));
    const r = await deliverDue(db, { until: Date.now() + 30_000 });
    for (const t of targets.keys()) out(`${t}: ${r.errors.find((e) => e.startsWith(`${t}:`)) ?? 'sent'}`);
    return r.errors.length === 0;
  } finally {
    db.$client.close();
  }
}
