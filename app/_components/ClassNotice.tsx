import Link from 'next/link';
import { classLabel, classOf, classParam, type ClassChoice } from '../../lib/hardware-class.ts';
import { withParams, type ViewParams } from '../_lib/params.ts';

const n = (count: number) => `${count} result${count === 1 ? '' : 's'}`;

/**
 * Results from several hardware classes: which one the page shows (medals and
 * ranks are within it) and links to the others. Counts are the instance's
 * current results, or `counted` (a day page counts that day's).
 */
export function ClassNotice({ choice, path, v, counted }: { choice: ClassChoice | null; path: string; v: ViewParams; counted?: Array<{ env: string | null }> }) {
  if (!choice) return null;
  const others = choice.classes.filter((c) => c !== choice.shown);
  const count = (c: { name: string | null; count: number }) => (counted ? counted.filter((r) => classOf(r.env) === c.name).length : c.count);
  // The default class's link drops `?class=`: one URL (and one cached page) per view.
  const href = (name: string | null) => withParams(path, v.raw, { class: name === choice.defaultName ? undefined : classParam(name) });
  return (
    <p className="badge warning" data-testid="class-notice">
      Times compare only within one hardware class. Showing class <code data-testid="class-shown">{classLabel(choice.shown.name)}</code> ({n(count(choice.shown))}); medals, ranks and points are within it. Also:{' '}
      {others.map((c, i) => (
        <span key={classParam(c.name)}>
          {i ? ', ' : ''}
          <Link href={href(c.name)} data-testid={`class-link-${classParam(c.name)}`}>
            {classLabel(c.name)}
          </Link>{' '}
          ({n(count(c))})
        </span>
      ))}
      .
    </p>
  );
}
