import type { Redis } from 'ioredis';
import type { QueueConfig } from '../../lib/instance-config.ts';
import type { Executor } from '../executor/types.ts';
import { giveUpMs, queueConnection } from './connection.ts';

/**
 * What an `image:` reference (a named image, not a Dockerfile) is on the
 * workers of a class. The coordinator has no Docker: without this it would
 * know such an image only by its name, and an image pulled again under the
 * same tag on the workers would never re-run its days. Workers say which
 * image id each reference they use is now; the coordinator plans with that
 * id, as a single host plans with its own Docker's.
 */
export const imageIdsKey = (q: QueueConfig, hardwareClass: string) => `${q.prefix}:images:${hardwareClass}`;

/** How often a worker looks again at the references it has used (a `docker image inspect` each). */
export const IMAGE_RECHECK_MS = 10_000;

/** The coordinator's read: reference → image id, as the class's workers last saw it. */
export async function readImageIds(q: QueueConfig, log: (line: string) => void): Promise<Record<string, string>> {
  const { redis, outage } = queueConnection(q, log);
  try {
    return await outage.bound(redis.hgetall(imageIdsKey(q, q.hardwareClass)), giveUpMs(q));
  } finally {
    redis.disconnect();
  }
}

/** A worker's side: announces the ids of the references it used, and looks again now and then. */
export class ImageSightings {
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly executor: Executor,
  ) {}

  async saw(ref: string, imageId: string): Promise<void> {
    if (this.seen.get(ref) === imageId) return;
    this.seen.set(ref, imageId);
    await this.redis.hset(this.key, ref, imageId).catch(() => {});
  }

  /**
   * Says again every id known here, with each heartbeat: Redis may have lost
   * them (flushed, restarted empty), and a coordinator that planned without
   * them would take every `image:` participant's image for a new one.
   */
  async announce(): Promise<void> {
    if (this.seen.size) await this.redis.hset(this.key, Object.fromEntries(this.seen)).catch(() => {});
  }

  /** Looks up every reference used so far (nothing is pulled): a re-pulled tag shows its new id. */
  async recheck(): Promise<void> {
    for (const ref of [...this.seen.keys()]) {
      const image = await this.executor.prepareImage({ kind: 'image', ref, dryRun: true }).catch(() => null);
      if (image?.ok && image.imageId) await this.saw(ref, image.imageId);
    }
  }
}
