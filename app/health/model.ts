import type { HealthView } from '../../db/queries/views.ts';

export type Level = 'ok' | 'warning' | 'error';

export interface DayHealth {
  day: number;
  level: Level;
  exists: boolean | null;
  hasInput: boolean | null;
  hasPart1: boolean | null;
  hasPart2: boolean | null;
  message: string | null;
  /** Further notes on the day, e.g. an answers file the other solvers disagree with. */
  notes: string[];
  /** False when no run has looked at the day yet (a new instance, or days left out with -d). */
  checked: boolean;
  result: HealthView['results'][number] | null;
}

const RANK: Record<Level, number> = { ok: 0, warning: 1, error: 2 };
export const worst = (levels: Level[]): Level => levels.reduce<Level>((a, b) => (RANK[b] > RANK[a] ? b : a), 'ok');

/** Per-day state from the runner's health messages and the stored result. */
export function dayHealth(h: Omit<HealthView, 'participant'>, days: number): DayHealth[] {
  return Array.from({ length: days }, (_, i) => i + 1).map((day) => {
    const msg = h.messages.find((m) => m.day === day && m.topic === 'day');
    const run = h.messages.find((m) => m.day === day && m.topic === 'run');
    const answers = h.messages.find((m) => m.day === day && m.topic === 'answers');
    // With a queue: the last attempt failed on its worker's host, and the stored result is older.
    const worker = h.messages.find((m) => m.day === day && m.topic === 'worker');
    const detail = msg?.detail ? (JSON.parse(msg.detail) as Record<string, boolean>) : null;
    const result = h.results.find((r) => r.day === day) ?? null;
    const levels: Level[] = [(msg?.level as Level) ?? 'ok', (run?.level as Level) ?? 'ok', (answers?.level as Level) ?? 'ok', (worker?.level as Level) ?? 'ok'];
    if (result?.status === 'unchecked') levels.push('warning');
    return {
      day,
      level: worst(levels),
      exists: detail ? !!detail.exists : null,
      hasInput: detail ? !!detail.hasInput : null,
      hasPart1: detail ? !!detail.hasPart1 : null,
      hasPart2: detail ? !!detail.hasPart2 : null,
      message: msg?.message ?? null,
      notes: [answers, worker].filter((m) => !!m).map((m) => m!.message),
      checked: !!(msg || run || result),
      result,
    };
  });
}

export function participantLevel(h: Omit<HealthView, 'participant'>, days: DayHealth[]): Level {
  const top = h.messages.filter((m) => m.day === 0).map((m) => m.level as Level);
  return worst([...top, ...days.map((d) => d.level)]);
}
