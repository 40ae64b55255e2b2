import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { db, instance } from './_lib/data.ts';
import { lastUpdate } from '../db/queries/views.ts';
import { liveStatus } from '../db/queries/live.ts';
import { LiveStatus } from './_components/LiveStatus.tsx';
import { StatusBanner } from './_components/StatusBanner.tsx';
import './globals.css';

/** Every page's title names the page, then the board: "Rankings · aocbench 2025". */
export function generateMetadata(): Metadata {
  const year = instance().config.year;
  return { title: { default: `aocbench ${year}`, template: `%s · aocbench ${year}` }, description: `Advent of Code ${year} benchmarks` };
}
export const dynamic = 'force-dynamic';

const NAV = [
  ['/', 'Leaderboard'],
  ['/rankings', 'Rankings'],
  ['/memory', 'Memory'],
  ['/matrix', 'Matrix'],
  ['/health', 'Health'],
  ['/hardware', 'Hardware'],
  ['/admin', 'Admin'],
  ['/api/results.json', 'Raw data'],
] as const;

export default function RootLayout({ children }: { children: ReactNode }) {
  const inst = instance().config;
  const updated = lastUpdate(db());
  const live = liveStatus(db());
  return (
    <html lang="en">
      <body>
        <nav className="navbar">
          <Link href="/" className="brand">
            aocbench <span className="year">{inst.year}</span>
          </Link>
          <ul>
            {NAV.map(([href, label]) => (
              <li key={href}>
                <Link href={href}>{label}</Link>
              </li>
            ))}
          </ul>
          {inst.leaderboardId ? (
            <a className="aoc" href={`https://adventofcode.com/${inst.year}/leaderboard/private/view/${inst.leaderboardId}`}>
              AoC leaderboard
            </a>
          ) : null}
        </nav>
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
