import { parseMethod, parseUnit, type Method, type Unit } from '../../lib/format.ts';
import type { BoardOrder } from '../../lib/leaderboard.ts';
import { VIEW_PARAMS } from './view-keys.ts';

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export interface ViewParams {
  method: Method;
  unit: Unit;
  lang: string[];
  anon: boolean;
  /** Leaderboard columns by standing (the default) or in config order. */
  order: BoardOrder;
  /** Find participants by name. */
  q: string;
  /** `?class=`: the hardware class to show when results come from several (lib/hardware-class.ts). */
  hwClass: string | undefined;
  /** Which window of a long list (1-based); `around`: the window holding this participant instead. */
  page: number;
  around: string | undefined;
  /** The query as asked, parameters no view reads left out. */
  raw: Record<string, string | string[] | undefined>;
}

export async function viewParams(sp: SearchParams): Promise<ViewParams> {
  // A page's season is in its path (/2023/...), never in its query.
  const raw = Object.fromEntries(Object.entries(await sp).filter(([k]) => VIEW_PARAMS.has(k) && k !== 'season'));
  const one = (k: string) => (Array.isArray(raw[k]) ? (raw[k] as string[])[0] : (raw[k] as string | undefined));
  const lang = raw.lang === undefined ? [] : Array.isArray(raw.lang) ? raw.lang : [raw.lang];
  return {
    method: parseMethod(one('method')), unit: parseUnit(one('unit')), lang, anon: 'anon' in raw, order: one('order') === 'config' ? 'config' : 'standing', q: (one('q') ?? '').slice(0, 100), hwClass: one('class'),
    page: Math.max(1, Math.min(1e6, Math.floor(Number(one('page'))) || 1)), around: one('around')?.slice(0, 200), raw,
  };
}

/** The current URL's query with some keys replaced (undefined removes a key). */
export function withParams(path: string, raw: ViewParams['raw'], changes: Record<string, string | string[] | undefined | null>): string {
  const q = new URLSearchParams();
  const merged = { ...raw, ...changes };
  for (const [k, v] of Object.entries(merged)) {
    if (v === undefined || v === null) continue;
    for (const x of Array.isArray(v) ? v : [v]) q.append(k, x);
  }
  const s = q.toString().replace(/=(&|$)/g, '$1');
  return s ? `${path}?${s}` : path;
}
