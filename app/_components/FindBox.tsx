'use client';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';

interface Match {
  name: string;
  place: number | null;
}

/**
 * The find box: the matching participants as one types, from /api/search
 * (no page render), each a link to the board around them. Enter still
 * submits the form (`?q=`), which is also what works without JavaScript.
 */
export function FindBox({ initial, anon, base }: { initial: string; anon: boolean; base: string }) {
  // The board's view kept (statistic, unit, filters), the window moved to the participant.
  // An older season's board is at /YEAR: its names are searched.
  const season = /^\/(\d{4})(?=[/?]|$)/.exec(base)?.[1];
  const around = (name: string) => `${base}${base.includes('?') ? '&' : '?'}around=${encodeURIComponent(name)}`;
  const [q, setQ] = useState(initial);
  const [matches, setMatches] = useState<Match[] | null>(null);
  const typed = useRef(false);
  useEffect(() => {
    if (!typed.current || !q.trim()) {
      setMatches(null);
      return;
    }
    const ctl = new AbortController();
    const t = setTimeout(() => {
      fetch(`/api/search?q=${encodeURIComponent(q)}${anon ? '&anon' : ''}${season ? `&season=${season}` : ''}`, { signal: ctl.signal })
        .then((r) => (r.ok ? (r.json() as Promise<Match[]>) : null))
        .then((m) => setMatches(m), () => {});
    }, 120);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [q, anon]);
  return (
    <span className="find-box">
      <input
        name="q" type="search" placeholder="Find a participant" value={q} data-testid="find" autoComplete="off" aria-controls="find-matches"
        onChange={(e) => {
          typed.current = true;
          setQ(e.target.value);
        }}
      />
      {matches ? (
        <ul id="find-matches" className="find-matches" data-testid="find-matches">
          {matches.length ? (
            matches.map((m) => (
              <li key={m.name}>
                <Link href={around(m.name)}>
                  {m.place !== null ? <span className="place">{m.place}</span> : null} {m.name}
                </Link>
              </li>
            ))
          ) : (
            <li className="muted">Nobody&apos;s name contains that.</li>
          )}
        </ul>
      ) : null}
    </span>
  );
}
