import type { Redis } from 'ioredis';
import type { InstanceConfig, Limits, QueueConfig, RepeatPolicy } from '../../lib/instance-config.ts';
import { sha256 } from '../../lib/versions.ts';
import { seasonView } from '../../lib/seasons.ts';
import type { LoadedInstance } from '../../db/instance.ts';

/**
 * How the coordinator measures: every worker uses these, not its own config's,
 * so one instance's numbers mean the same on every host. They are part of the
 * job id: other settings are other work.
 */
export interface MeasureSettings {
  repeat: RepeatPolicy;
  limits: Limits;
  /** The season (a year) of an instance with several: which participants, paths and year the job is of. */
  season?: number;
}

export const measureSettings = (c: InstanceConfig): MeasureSettings => ({ repeat: c.repeat, limits: c.limits, ...(c.seasonal ? { season: c.year } : {}) });

export const settingsHash = (s: MeasureSettings): string => sha256(JSON.stringify(s.season === undefined ? [s.repeat, s.limits] : [s.repeat, s.limits, s.season])).slice(0, 16);

/** The worker's instance with the coordinator's settings (a job from before settings travelled keeps the worker's). */
export function withSettings(inst: LoadedInstance, s: MeasureSettings | undefined): LoadedInstance {
  if (!s) return inst;
  const season = s.season !== undefined && s.season !== inst.season ? { season: s.season, config: seasonView(inst.all, s.season) } : { season: inst.season, config: inst.config };
  return { ...inst, ...season, config: { ...season.config, repeat: s.repeat, limits: s.limits } };
}

/**
 * Inputs travel once, under their content hash, and expire: a matrix sends one
 * input to every solver of its day, and a job left in Redis (the coordinator
 * moved on) should not keep a copy of an input, decrypted ones included, forever.
 */
export const INPUT_TTL_SECONDS = 7 * 24 * 3600;
const REFRESH_MS = 3600_000;

const inputKey = (q: QueueConfig, hash: string) => `${q.prefix}:input:${hash}`;

export class InputStore {
  private readonly put = new Map<string, number>();
  /** The texts this process stored (the coordinator holds them anyway): a job queued again after Redis lost them sends them again. */
  private readonly texts = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly q: QueueConfig,
  ) {}

  /** Stores the text (again, if it was stored over an hour ago, to restart its expiry) and names it by its hash. */
  async store(text: string): Promise<string> {
    const hash = sha256(text);
    this.texts.set(hash, text);
    if (Date.now() - (this.put.get(hash) ?? 0) > REFRESH_MS) {
      await this.redis.set(inputKey(this.q, hash), text, 'EX', INPUT_TTL_SECONDS);
      this.put.set(hash, Date.now());
    }
    return hash;
  }

  /** Stores again a text this process stored before (Redis lost its data); false if it never had it. */
  async restore(hash: string): Promise<boolean> {
    const text = this.texts.get(hash);
    if (text === undefined) return false;
    await this.redis.set(inputKey(this.q, hash), text, 'EX', INPUT_TTL_SECONDS);
    this.put.set(hash, Date.now());
    return true;
  }

  /** The text of that hash, or null when it expired (or does not match its name). */
  async fetch(hash: string): Promise<string | null> {
    if (!/^[0-9a-f]{64}$/.test(hash)) return null;
    const text = await this.redis.get(inputKey(this.q, hash));
    return text !== null && sha256(text) === hash ? text : null;
  }
}
