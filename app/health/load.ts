import { listMatrixInputs, listMatrixStatuses } from '../../db/queries/matrix.ts';
import { matrixFlag, type MatrixFlag } from '../../lib/matrix.ts';
import { healthView, healthViews, listParticipantViews, type HealthView } from '../../db/queries/views.ts';
import { cached, db, instance } from '../_lib/data.ts';
import { dayHealth, participantLevel, worst, type DayHealth, type Level } from './model.ts';

/** Days whose puzzle is not out yet (05:00 UTC on December N) are left out, as AoCBench does. */
function unlockedDays(year: number, days: number, now = Date.now()): number {
  let n = 0;
  for (let d = 1; d <= days; d++) if (Date.UTC(year, 11, d, 5) <= now) n = d;
  return n;
}

export interface MatrixHealth {
  /** This participant's verdicts on others' inputs. */
  mine: Array<{ day: number; input: string; status: string }>;
  /** Others' verdicts on this participant's inputs. */
  theirs: Array<{ day: number; solver: string; status: string }>;
  /** Per day: a flag of lib/matrix.ts (overfit, wrong or failing everywhere). */
  flags: Map<number, MatrixFlag>;
}

function matrixHealth(participantId: number): MatrixHealth {
  const names = cached('participant-names', () => new Map(listParticipantViews(db()).map((p) => [p.id, p.name])));
  const statuses = cached('matrix-statuses', () => listMatrixStatuses(db()));
  const own = new Set(cached('matrix-inputs', () => listMatrixInputs(db())).filter((i) => i.ownerId === participantId).map((i) => `${i.day}/${i.name}`));
  // The matrix's cells by solver, once: a board of 10,000 must not filter every cell for every participant.
  const bySolver = cached('matrix-by-solver', () => {
    const m = new Map<number, typeof statuses>();
    for (const c of statuses) {
      const list = m.get(c.solverId);
      if (list) list.push(c);
      else m.set(c.solverId, [c]);
    }
    return m;
  });
  const mine = (bySolver.get(participantId) ?? []).map(({ day, input, status }) => ({ day, input, status }));
  const flags = new Map<number, MatrixFlag>();
  for (const day of new Set(mine.map((c) => c.day))) {
    const flag = matrixFlag(participantId, names.get(participantId) ?? '', statuses.filter((c) => c.day === day));
    if (flag) flags.set(day, flag);
  }
  return {
    flags,
    mine,
    theirs: statuses.filter((c) => own.has(`${c.day}/${c.input}`) && c.solverId !== participantId).map((c) => ({ day: c.day, solver: names.get(c.solverId) ?? '?', status: c.status })),
  };
}

function healthOf(participant: ReturnType<typeof listParticipantViews>[number], n: number, view = healthView(db(), participant.id)) {
  const h = { participant, ...view };
  const days = dayHealth(h, n);
  const matrix = matrixHealth(participant.id);
  return { h, days, level: worst([participantLevel(h, days), matrix.flags.size ? 'warning' : 'ok']), matrix };
}

/** How many days health covers now: the days whose puzzle is out. */
export function healthDayCount(): number {
  const inst = instance().config;
  return unlockedDays(inst.year, inst.days);
}

export function loadHealth(name?: string, anon = false): Array<{ h: HealthView; days: DayHealth[]; level: Level; matrix: MatrixHealth }> {
  const n = healthDayCount();
  const ps = cached('participants', () => listParticipantViews(db()));
  // Memoised per content version: everyone's for the health page, one participant's alone for its own pages.
  const all = cached(`health:${n}:${name ?? '*'}`, () => {
    if (name !== undefined) return ps.flatMap((p, i) => (p.name === name ? [{ ...healthOf(p, n), i }] : []));
    // Everyone: read in a few queries, not a few per participant.
    const views = healthViews(db());
    return ps.map((p, i) => ({ ...healthOf(p, n, views.get(p.id)), i }));
  });
  // `?anon`: the same names as everywhere else ("Participant N", config order), no repository URLs.
  return all.map(({ i, ...x }) =>
    anon ? { ...x, h: { ...x.h, participant: { ...x.h.participant, name: `Participant ${i + 1}`, dirName: `participant${i + 1}`, repo: '(hidden)' } } } : x,
  );
}
