import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { enterSeason } from '../_lib/season.ts';

/** Pages of a season at /YEAR/...: titles name that year ("Rankings · aocbench 2023"); a year the instance has not is a 404. */
export async function generateMetadata({ params }: { params: Promise<{ season: string }> }): Promise<Metadata> {
  const { year } = await enterSeason(params);
  return { title: { default: `aocbench ${year}`, template: `%s · aocbench ${year}` }, description: `Advent of Code ${year} benchmarks` };
}

export default async function SeasonLayout({ children, params }: { children: ReactNode; params: Promise<{ season: string }> }) {
  await enterSeason(params);
  return children;
}
