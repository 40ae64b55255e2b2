import { parseEnv } from './env.ts';

/**
 * Hardware classes of stored results. With a queue, each result names the
 * class of the benchmark host that measured it; times compare only within one
 * class, so the pages show one class at a time. Results without a class were
 * measured by the instance's own host (no queue): they form a group of their own.
 */

/** `?class=-` selects the results without a class: `-` can never be a class name (lib/instance-config.ts HARDWARE_CLASS). */
export const NO_CLASS_PARAM = '-';

export interface ClassSource {
  env: string | null;
  runAt: number;
  /** Results this row stands for (a GROUP BY env count); 1 when absent. */
  count?: number;
}

export interface HardwareClass {
  /** null: results measured without a queue. */
  name: string | null;
  count: number;
  /** The most recent run in the class: breaks ties in the default choice. */
  lastRunAt: number;
}

export interface ClassChoice {
  /** Every class present, the most results first. */
  classes: HardwareClass[];
  shown: HardwareClass;
  /** The class shown without `?class=`. */
  defaultName: string | null;
}

export function classOf(envJson: string | null): string | null {
  const c = parseEnv(envJson)?.hardwareClass;
  return typeof c === 'string' && c !== '' ? c : null;
}

export function classLabel(name: string | null): string {
  return name ?? 'this host (no queue)';
}

/** The `?class=` value that selects a class. */
export function classParam(name: string | null): string {
  return name ?? NO_CLASS_PARAM;
}

/** The classes present in a set of results with their counts: the most results first, then the most recent run. */
export function hardwareClasses(results: ClassSource[]): HardwareClass[] {
  const seen = new Map<string | null, HardwareClass>();
  for (const r of results) {
    const name = classOf(r.env);
    const c = seen.get(name) ?? { name, count: 0, lastRunAt: -Infinity };
    c.count += r.count ?? 1;
    c.lastRunAt = Math.max(c.lastRunAt, r.runAt);
    seen.set(name, c);
  }
  return [...seen.values()].sort((a, b) => b.count - a.count || b.lastRunAt - a.lastRunAt);
}

/** The instance's own class (`queue.hardwareClass`) when it has results, else the class with the most (ties: the most recent run). */
export function defaultClass(classes: HardwareClass[], configured?: string): string | null {
  if (configured !== undefined && classes.some((c) => c.name === configured)) return configured;
  return classes[0]?.name ?? null;
}

/**
 * Which class a page shows: null when there is at most one (nothing to
 * choose, the page looks as without queues); else `?class=` when that class
 * has results, otherwise the default.
 */
export function chooseClass(classes: HardwareClass[], opts: { configured?: string; requested?: string }): ClassChoice | null {
  if (classes.length < 2) return null;
  const defaultName = defaultClass(classes, opts.configured);
  const wanted = opts.requested === NO_CLASS_PARAM ? null : opts.requested;
  const shown = (opts.requested !== undefined && classes.find((c) => c.name === wanted)) || classes.find((c) => c.name === defaultName)!;
  return { classes, shown, defaultName };
}

/** The results measured in one class. */
export function inClass<T extends { env: string | null }>(results: T[], name: string | null): T[] {
  return results.filter((r) => classOf(r.env) === name);
}
