import { listHardwareClasses } from '../../db/queries/board.ts';
import { chooseClass, classParam, inClass, type ClassChoice } from '../../lib/hardware-class.ts';
import { cached, db, instance } from './data.ts';
import type { ViewParams } from './params.ts';

export interface ClassView {
  /** null: the results come from one class (or none): nothing is filtered and no notice shows. */
  choice: ClassChoice | null;
  /** Part of memo keys: the class shown. */
  key: string;
  /** The canonical `?class=` of the shown class for links: undefined for the default class. */
  param: string | undefined;
  /** The results of the shown class. */
  filter<T extends { env: string | null }>(results: T[]): T[];
}

/**
 * The hardware class every ranking page shows, chosen over all current
 * results of the instance (not the page's own), so the leaderboard, a day
 * and its ranking show the same class without `?class=`.
 */
export function classView(v: ViewParams): ClassView {
  const classes = cached('hardware-classes', () => listHardwareClasses(db()));
  const choice = chooseClass(classes, { configured: instance().config.queue?.hardwareClass, requested: v.hwClass });
  if (!choice) return { choice, key: '', param: undefined, filter: (rs) => rs };
  const name = choice.shown.name;
  return { choice, key: classParam(name), param: name === choice.defaultName ? undefined : classParam(name), filter: (rs) => inClass(rs, name) };
}
