import type { Metadata } from 'next';
import { enterSeason } from './season.ts';
import type { SearchParams } from './params.ts';

/**
 * A page's <title>, naming what it shows (the layout adds "· aocbench <year>").
 * A page about one participant keeps the name out of the title under `?anon`.
 */
export const title = (t: string): Metadata => ({ title: t });

/** The root page's: the layout's template does not apply to a page in the layout's own segment. */
export const rootTitle = (t: string) => async ({ params }: { params?: Promise<{ season?: string }> }): Promise<Metadata> =>
  ({ title: { absolute: `${t} · aocbench ${(await enterSeason(params)).year}` } });

export const dayTitle = (what: (day: string) => string) =>
  async ({ params }: { params: Promise<{ day: string }> }): Promise<Metadata> => title(what((await params).day));

export const nameTitle = (what: (name: string) => string, anonymous: string) =>
  async ({ params, searchParams }: { params: Promise<{ name: string }>; searchParams: SearchParams }): Promise<Metadata> =>
    title('anon' in (await searchParams) ? anonymous : what(decodeURIComponent((await params).name)));
