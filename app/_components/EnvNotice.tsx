import Link from 'next/link';
import { environments } from '../../lib/env.ts';

/** Says so when the times on a page were measured in more than one environment: they compare only within one. */
export function EnvNotice({ envs, base = '' }: { envs: Array<string | null | { env: string | null; count: number }>; base?: string }) {
  const list = environments(envs);
  if (list.length < 2) return null;
  return (
    <p className="badge warning" data-testid="env-notice">
      These results were measured in {list.length} different environments, and times compare only within one: {list.map((e) => `${e.label} (${e.count})`).join('; ')}. See{' '}
      <Link href={`${base}/hardware`}>hardware</Link>.
    </p>
  );
}
