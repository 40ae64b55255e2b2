import { createHmac, timingSafeEqual } from 'node:crypto';

/** A result as a worker signs it: anyone who can write to Redis can write a returnvalue, only a key holder a MAC. */
export interface SignedResult {
  signed: unknown;
  mac: string;
}

/** A result whose MAC does not verify (forged or altered in Redis, or signed with another key): never stored. */
export class ForgedResult extends Error {
  constructor() {
    super('a result for this job failed its signature check and was not stored');
  }
}

/** JSON with object keys sorted, so the same value gives the same bytes on every host. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => canonical(x ?? null)).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

// The job id and its data are in the MAC: a result signed for job A does not verify as job B's.
function mac(key: Buffer, jobId: string, data: unknown, result: unknown): Buffer {
  return createHmac('sha256', key).update(canonical({ jobId, data, result })).digest();
}

export function signResult(key: Buffer, jobId: string, data: unknown, result: unknown): SignedResult {
  return { signed: result, mac: mac(key, jobId, data, result).toString('hex') };
}

/** The result inside `value` if its MAC verifies for this job; else ForgedResult. */
export function openResult(key: Buffer, jobId: string, data: unknown, value: unknown): unknown {
  const v = value as Partial<SignedResult> | null;
  if (!v || typeof v !== 'object' || typeof v.mac !== 'string' || !/^[0-9a-f]{64}$/.test(v.mac) || !('signed' in v)) throw new ForgedResult();
  const expected = mac(key, jobId, data, v.signed);
  if (!timingSafeEqual(expected, Buffer.from(v.mac, 'hex'))) throw new ForgedResult();
  return v.signed;
}
