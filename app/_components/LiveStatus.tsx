'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';

/** Polls /api/status; when the runner has committed something new, the page re-renders on the server. */
export function LiveStatus({ version, intervalMs = 5000 }: { version: string; intervalMs?: number }) {
  const router = useRouter();
  const seen = useRef(version);
  useEffect(() => {
    const t = setInterval(async () => {
      if (document.hidden) return;
      const s = (await fetch('/api/status', { cache: 'no-store' }).then((r) => r.json()).catch(() => null)) as { version: string } | null;
      if (s && s.version !== seen.current) {
        seen.current = s.version;
        router.refresh();
      }
    }, intervalMs);
    return () => clearInterval(t);
  }, [router, intervalMs]);
  return null;
}
