import { FLAG_LABEL } from '../../lib/matrix.ts';
import { persisted } from '../_lib/data.ts';
import { healthDayCount, loadHealth } from './load.ts';
import type { Level } from './model.ts';

/** One thing wrong with a participant: day 0 for the repository, config or image. */
export interface HealthProblem {
  day: number;
  level: Level;
  text: string;
}

export interface HealthSummary {
  id: number;
  level: Level;
  /** The first few problems, worst first; the rest are counted and on the participant's own health page. */
  problems: HealthProblem[];
  more: number;
}

/** Problems kept per participant: the overview stays one short card each, however broken a repository is. */
export const PROBLEMS_SHOWN = 5;

const RANK: Record<Level, number> = { error: 0, warning: 1, ok: 2 };

/**
 * Everyone's health level and their first problems: what the overview lists
 * (the whole of each participant is on /health/NAME). Computing it reads every
 * participant's health (seconds at 10,000): stored per content version, so a
 * restart or another page of the overview does not do it again.
 */
export function healthSummaries(): HealthSummary[] {
  return persisted(`health-summaries:${healthDayCount()}`, () =>
    loadHealth().map(({ h, days, level, matrix }) => {
      const problems: HealthProblem[] = [
        ...h.messages.filter((m) => m.day === 0 && m.level !== 'ok').map((m) => ({ day: 0, level: m.level as Level, text: `${m.topic}: ${m.message}` })),
        ...days
          .filter((d) => d.level !== 'ok')
          .map((d) => {
            const r = d.result;
            const verdict = r && r.status !== 'correct' ? [r.status, r.message].filter(Boolean).join(': ') : null;
            return { day: d.day, level: d.level, text: [verdict, d.message, ...d.notes].filter(Boolean).join(' · ') || d.level };
          }),
        ...[...matrix.flags].map(([day, flag]) => ({ day, level: 'warning' as Level, text: `input matrix: ${FLAG_LABEL[flag]}` })),
      ].sort((a, b) => RANK[a.level] - RANK[b.level] || a.day - b.day);
      return { id: h.participant.id, level, problems: problems.slice(0, PROBLEMS_SHOWN), more: Math.max(0, problems.length - PROBLEMS_SHOWN) };
    }),
  );
}
