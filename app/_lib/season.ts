import { notFound } from 'next/navigation';
import { cache } from 'react';
import { pickSeason } from '../../lib/seasons.ts';
import { onRequestSeason, seasonPage, wholeConfig, type SeasonPage } from './data.ts';

/**
 * The season this request shows (lib/seasons.ts): set by `enterSeason` from
 * the URL (/2023/...) at the start of a page; null: the newest. One object
 * per request (React's cache), so the page and every component it renders
 * read the same season. Kept apart from data.ts, which `aocbench web` loads outside Next.js.
 */
const requested = cache(() => ({ year: null as number | null }));
onRequestSeason(() => requested().year);

/** A page's first step: the season its URL names (a 404 for a year this instance has not), else the newest. */
export async function enterSeason(params?: Promise<{ season?: string }> | { season?: string }): Promise<SeasonPage> {
  const asked = params ? (await params).season : undefined;
  const year = pickSeason(wholeConfig(), asked);
  if (year === null) notFound();
  requested().year = year;
  return seasonPage(year);
}
