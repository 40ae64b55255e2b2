'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';

/**
 * Re-renders the page on the server when new results land. `aocbench web`
 * pushes the change over /api/events as it happens; where that endpoint is
 * missing (plain `next start`), the page polls /api/status instead.
 */
export function LiveStatus({ version, resultsAt, pollMs = 5000 }: { version: string; resultsAt: number; pollMs?: number }) {
  const router = useRouter();
  const seen = useRef(version);
  useEffect(() => {
    const changed = (v: string | undefined) => {
      if (!v || v === seen.current) return;
      seen.current = v;
      router.refresh();
    };
    let poll: ReturnType<typeof setInterval> | null = null;
    const startPolling = () => {
      poll ??= setInterval(async () => {
        if (document.hidden) return;
        const s = (await fetch('/api/status', { cache: 'no-store' }).then((r) => r.json()).catch(() => null)) as { version: string } | null;
        changed(s?.version);
      }, pollMs);
    };
    const events = new EventSource('/api/events');
    events.onmessage = (m) => changed((JSON.parse(m.data) as { version?: string }).version);
    // The browser reconnects by itself after a network error; a refused endpoint closes the source for good.
    events.onerror = () => {
      if (events.readyState === EventSource.CLOSED) startPolling();
    };
    return () => {
      events.close();
      if (poll) clearInterval(poll);
    };
  }, [router, pollMs]);
  // What the page was rendered from, for tests and the latency benchmark.
  return <span hidden data-testid="live-version" data-version={version} data-results-at={resultsAt} />;
}
