import { printableLine } from '../../lib/printable.ts';
import type { BenchSummary } from '../records.ts';

/** The table printed at the end of `aocbench bench`; each cell one line, a participant's text in it made visible. */
export function summaryTable(s: BenchSummary): string {
  const cells = s.jobs.map((j) => [
    j.participant,
    String(j.day),
    j.outcome?.status ?? `(dry run: ${j.reason})`,
    j.medianMs != null ? `${j.medianMs.toFixed(3)} ms` : '',
    j.relCi != null ? `±${(j.relCi * 100).toFixed(1)}%` : '',
    j.outcome ? String(j.outcome.samplesMs.length) : '',
    j.outcome?.message ?? '',
  ]);
  const rows = cells.map((r) => r.map(printableLine));
  const head = ['participant', 'day', 'status', 'median', '95% CI', 'runs', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const total = s.jobs.reduce((a, j) => a + (j.outcome ? 1 : 0), 0);
  return [
    // Nothing ran (nothing changed): no empty table, only the summary.
    ...(rows.length ? [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ''] : []),
    `${total} day(s) run ${s.onWorkers ? "by the queue's workers" : `in ${s.containers} container(s)`}, ${s.skipped} unchanged day(s) skipped.`,
    ...(s.notRun.length ? ['', 'Not benchmarked:', ...s.notRun.map((n) => printableLine(`  ${n.participant}: ${n.why}`))] : []),
    '',
  ].join('\n');
}
