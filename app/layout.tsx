import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { db, instance } from './_lib/data.ts';
import { lastUpdate } from '../db/queries/views.ts';
import { liveStatus } from '../db/queries/live.ts';
import { LiveStatus } from './_components/LiveStatus.tsx';
import { StatusBanner } from './_components/StatusBanner.tsx';
import { SeasonNav } from './_components/SeasonNav.tsx';
import { seasonDays, seasonYears } from '../lib/seasons.ts';
import './globals.css';

/** Every page's title names the page, then the board: "Rankings · aocbench 2025". */
export function generateMetadata(): Metadata {
  const year = instance().config.year;
  return { title: { default: `aocbench ${year}`, template: `%s · aocbench ${year}` }, description: `Advent of Code ${year} benchmarks` };
}
export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: ReactNode }) {
  const inst = instance().config;
  const updated = lastUpdate(db());
  const live = liveStatus(db());
  return (
    <html lang="en">
      <body>
        <SeasonNav years={seasonYears(inst)} days={Object.fromEntries(seasonYears(inst).map((y) => [y, seasonDays(inst, y)]))} leaderboardId={inst.leaderboardId === undefined ? null : String(inst.leaderboardId)} />
        <StatusBanner />
        <LiveStatus version={live.version} resultsAt={live.resultsAt} />
        <main>{children}</main>
        <footer>
          <span>aocbench</span>
          <a href="/log">log</a>
          <span data-testid="last-update">
            Last update: {updated ? new Date(updated).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : 'never'}
          </span>
        </footer>
      </body>
    </html>
  );
}
