import { existsSync, readFileSync, statSync } from 'node:fs';
import { dataPaths } from '../../lib/data-dir.ts';
import { instance } from '../_lib/data.ts';

const TAIL_BYTES = 64 * 1024;

/** The end of the daemon's log (pino JSON lines), newest last. */
export const metadata = { title: 'Runner log' };

export default function LogPage() {
  const file = dataPaths(instance().dataDir).log;
  if (!existsSync(file)) return <p className="muted">No daemon log yet: start <code>aocbench daemon</code>.</p>;
  const size = statSync(file).size;
  const text = readFileSync(file).subarray(Math.max(0, size - TAIL_BYTES)).toString('utf8');
  const lines = text.split('\n').slice(size > TAIL_BYTES ? 1 : 0).filter(Boolean).slice(-300).map((l) => {
    try {
      const j = JSON.parse(l) as { time: number; level: number; msg: string; job?: unknown };
      return `${new Date(j.time).toISOString().slice(0, 19).replace('T', ' ')} ${j.level >= 50 ? 'ERROR ' : ''}${j.msg}`;
    } catch {
      return l;
    }
  });
  return (
    <>
      <h1>Daemon log</h1>
      <pre className="output" style={{ maxHeight: 'none' }} data-testid="log">
        {lines.join('\n')}
      </pre>
    </>
  );
}
