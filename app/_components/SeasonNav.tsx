'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const NAV = [
  ['/', 'Leaderboard'],
  ['/rankings', 'Rankings'],
  ['/memory', 'Memory'],
  ['/matrix', 'Matrix'],
  ['/health', 'Health'],
  ['/hardware', 'Hardware'],
] as const;

/** Sections every season has: switching seasons keeps them; any other page (a participant, a day's health) switches to the season's board. */
const SHARED = /^\/(rankings|memory|matrix|health|hardware|days)(\/\d+)?$/;

/**
 * The navigation bar, which the root layout renders for every page: its
 * links stay in the season the URL names (/2023/...; the newest season is
 * at /), and with several seasons a switcher leads to the same page in another.
 */
export function SeasonNav({ years, days, leaderboardId }: { years: number[]; days: Record<number, number>; leaderboardId: string | null }) {
  const path = usePathname() ?? '/';
  const newest = years[0];
  const first = /^\/(\d{4})(?=\/|$)/.exec(path);
  const named = first !== null && years.includes(Number(first[1]));
  const year = named ? Number(first[1]) : newest;
  // The page within the season: /2023/rankings and /rankings are both "/rankings".
  const rest = named ? path.slice(5) || '/' : path;
  const base = (y: number) => (y === newest ? '' : `/${y}`);
  const at = (y: number, p: string) => (p === '/' ? base(y) || '/' : `${base(y)}${p}`);
  // The same page in another season, if that season has it (a day past its last is not).
  const keep = (y: number) => SHARED.test(rest) && Number(/\/(\d+)$/.exec(rest)?.[1] ?? 0) <= (days[y] ?? 25);
  // /seasons and /seasons/NAME are every season's: none of the years is the current one there.
  const every = /^\/seasons(\/|$)/.test(path);
  const raw = `/api/results.json${year === newest ? '' : `?season=${year}`}`;
  return (
    <nav className="navbar">
      <Link href={at(year, '/')} className="brand">
        aocbench <span className="year" data-testid="season">{every ? 'every season' : year}</span>
      </Link>
      {years.length > 1 ? (
        <ul className="seasons" data-testid="season-switcher" aria-label="Season">
          {years.map((y) => (
            <li key={y}>
              <Link href={at(y, keep(y) ? rest : '/')} className={y === year && !every ? 'active' : ''} aria-current={y === year && !every ? 'page' : undefined}>
                {y}
              </Link>
            </li>
          ))}
          <li>
            <Link href="/seasons" className={every ? 'active' : ''} aria-current={every ? 'page' : undefined}>
              all years
            </Link>
          </li>
        </ul>
      ) : null}
      <ul>
        {NAV.map(([href, label]) => (
          <li key={href}>
            <Link href={at(year, href)}>{label}</Link>
          </li>
        ))}
        <li>
          <Link href="/admin">Admin</Link>
        </li>
        <li>
          <Link href={raw}>Raw data</Link>
        </li>
      </ul>
      {leaderboardId ? (
        <a className="aoc" href={`https://adventofcode.com/${year}/leaderboard/private/view/${leaderboardId}`}>
          AoC leaderboard
        </a>
      ) : null}
    </nav>
  );
}
