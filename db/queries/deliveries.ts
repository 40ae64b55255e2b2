import { lt } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { webhookDeliveries } from '../schema.ts';

/**
 * How long a delivery id is remembered. GitHub retries and redeliveries come
 * within hours; a delivery older than this is refused by its own push time
 * (see the webhook route), so a replay never finds its id forgotten.
 */
export const DELIVERY_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Acts on a webhook delivery once: records its id and runs `act` in one write
 * transaction, or returns null without acting when the id was recorded within
 * the window (a replay, or two copies at once). If `act` throws, the id is not
 * recorded, so GitHub's redelivery of a delivery that failed is acted on.
 * Ids older than the window are dropped here, so the table stays small.
 */
export function actOnce<T>(db: Db, deliveryId: string, act: () => T, now = Date.now(), windowMs = DELIVERY_WINDOW_MS): { value: T } | null {
  return db.transaction(
    (tx) => {
      tx.delete(webhookDeliveries).where(lt(webhookDeliveries.receivedAt, now - windowMs)).run();
      const fresh = tx.insert(webhookDeliveries).values({ id: deliveryId, receivedAt: now }).onConflictDoNothing().run().changes > 0;
      return fresh ? { value: act() } : null;
    },
    { behavior: 'immediate' },
  );
}
