'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';

const QUIET_MS = 2000;

/**
 * Re-renders the page on the server when new results land. `aocbench web`
 * pushes the change over /api/events as it happens; where that endpoint is
 * missing (plain `next start`), the page polls /api/status instead.
 */
export function LiveStatus({ version, resultsAt, pollMs = 5000 }: { version: string; resultsAt: number; pollMs?: number }) {
  const router = useRouter();
  const seen = useRef(version);
  const results = useRef(resultsAt);
  useEffect(() => {
    let later: ReturnType<typeof setTimeout> | null = null;
    let stale = false;
    const refresh = () => {
      if (later) clearTimeout(later);
      later = null;
      // A hidden tab catches up when it is shown again, not on every change meanwhile.
      if (document.hidden) stale = true;
      else router.refresh();
    };
    const shown = () => {
      if (!document.hidden && stale) {
        stale = false;
        router.refresh();
      }
    };
    document.addEventListener('visibilitychange', shown);
    // A new result shows at once; anything else (a job queued or started) waits a little, so every open page
    // does not re-render at the moment a benchmark starts and several such changes come as one.
    const changed = (v: string | undefined, at?: number) => {
      if (!v || v === seen.current) return;
      seen.current = v;
      if (at !== undefined && at !== results.current) {
        results.current = at;
        refresh();
      } else later ??= setTimeout(refresh, QUIET_MS);
    };
    let poll: ReturnType<typeof setInterval> | null = null;
    const startPolling = () => {
      poll ??= setInterval(async () => {
        if (document.hidden) return;
        const s = (await fetch('/api/status', { cache: 'no-store' }).then((r) => r.json()).catch(() => null)) as { version: string; resultsAt: number } | null;
        changed(s?.version, s?.resultsAt);
      }, pollMs);
    };
    const events = new EventSource('/api/events');
    events.onmessage = (m) => {
      const s = JSON.parse(m.data) as { version?: string; resultsAt?: number };
      changed(s.version, s.resultsAt);
    };
    // The browser reconnects by itself after a network error; a refused endpoint closes the source for good.
    events.onerror = () => {
      if (events.readyState === EventSource.CLOSED) startPolling();
    };
    return () => {
      document.removeEventListener('visibilitychange', shown);
      if (later) clearTimeout(later);
      events.close();
      if (poll) clearInterval(poll);
    };
  }, [router, pollMs]);
  // What the page was rendered from, for tests and the latency benchmark.
  return <span hidden data-testid="live-version" data-version={version} data-results-at={resultsAt} />;
}
