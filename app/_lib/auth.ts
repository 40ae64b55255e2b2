import { timingSafeEqual } from 'node:crypto';
import { instance } from './data.ts';

export type Role = 'admin' | 'submitter';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `AOCBENCH_ADMIN_TOKEN` is the admin; `customInputs.tokens` in the instance config may submit inputs. */
export function roleOf(token: string | null | undefined): Role | null {
  if (!token) return null;
  const admin = process.env.AOCBENCH_ADMIN_TOKEN;
  if (admin && admin.length >= 16 && same(token, admin)) return 'admin';
  return instance().config.customInputs.tokens.some((t) => same(token, t)) ? 'submitter' : null;
}

export function bearer(req: Request): string | null {
  const h = req.headers.get('authorization') ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1] : null;
}
