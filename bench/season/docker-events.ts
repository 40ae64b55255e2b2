import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Container starts seen by `docker events` while the benchmark runs: counted afterwards by name and time window. */
export function watchContainerStarts() {
  const starts: Array<{ ms: number; name: string }> = [];
  const p = spawn('docker', ['events', '--filter', 'type=container', '--filter', 'event=start', '--format', '{{json .}}'], { stdio: ['ignore', 'pipe', 'ignore'] });
  createInterface({ input: p.stdout }).on('line', (line) => {
    try {
      const e = JSON.parse(line) as { timeNano?: number; time?: number; Actor?: { Attributes?: { name?: string } } };
      starts.push({ ms: e.timeNano ? e.timeNano / 1e6 : (e.time ?? 0) * 1000, name: e.Actor?.Attributes?.name ?? '' });
    } catch {
      // not an event line
    }
  });
  return {
    /** Starts of containers whose name begins with `prefix` between `from` and `to` (Date.now() ms). */
    count(prefix: string, from: number, to: number): number {
      return starts.filter((s) => s.name.startsWith(prefix) && s.ms >= from - 5 && s.ms <= to + 5).length;
    },
    /** Lets the last events arrive. */
    settle: () => new Promise((r) => setTimeout(r, 500)),
    stop: () => {
      p.kill();
    },
  };
}
