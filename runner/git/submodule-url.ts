import { realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkRepoUrl } from '../../lib/repo-url.ts';

/**
 * Which submodule URLs a participant's repository may make the host fetch.
 * A submodule is fetched by the runner, so its URL is the participant's
 * choice of what the server reads: only the participant's own host (or an
 * operator's allow-list), and file:// only next to a file:// repository.
 */

/** A relative submodule URL (`../x.git`, `./x`) resolved as git does, against the URL of the repository that names it. */
export function resolveSubmoduleUrl(base: string, url: string): string {
  if (!url.startsWith('./') && !url.startsWith('../')) return stripUserinfo(url);
  let r = base.replace(/\/+$/, '');
  let u = url;
  let sep = '/';
  for (;;) {
    if (u.startsWith('./')) u = u.slice(2);
    else if (u.startsWith('../')) {
      u = u.slice(3);
      const i = Math.max(r.lastIndexOf('/'), r.lastIndexOf(':'));
      if (i < 0) return url;
      sep = r[i] === ':' && !r.slice(i).startsWith('://') ? ':' : '/';
      r = r.slice(0, i);
    } else break;
  }
  return stripUserinfo(`${r}${sep}${u}`);
}

/** A token in the operator's https:// URL is for that repository, never for the ones its submodules name. */
function stripUserinfo(url: string): string {
  return url.replace(/^(https:\/\/)[^/@]*@/i, '$1');
}

/** The host a URL reaches; null for file://. */
export function urlHost(url: string): string | null {
  if (url.startsWith('file://')) return null;
  const scp = /^[^@/]+@([^:/]+):/.exec(url);
  if (scp && !url.includes('://')) return scp[1].toLowerCase();
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

const filePath = (url: string) => decodeURIComponent(new URL(url).pathname);

/** Why the host will not fetch this submodule URL for the participant whose repository is `mainUrl`; null when it may. */
export function submoduleUrlProblem(url: string, mainUrl: string, allowedHosts: string[]): string | null {
  const bad = checkRepoUrl(url);
  if (bad) return bad;
  if (url.startsWith('file://')) {
    if (!mainUrl.startsWith('file://')) return `a file:// submodule (${url}) is refused: it would read the server's own disk`;
    const folder = realOrSelf(dirname(filePath(mainUrl)));
    const path = realOrSelf(filePath(url));
    if (path !== folder && !path.startsWith(`${folder}/`)) return `a file:// submodule (${url}) is refused: it is outside ${folder}, the folder of the repository`;
    return null;
  }
  const host = urlHost(url);
  if (!host) return `submodule URL ${url} names no host`;
  const allowed = allowedHosts.map((h) => h.toLowerCase());
  if (allowed.includes('*') || host === urlHost(mainUrl) || allowed.includes(host)) return null;
  return `submodule URL ${url} is refused: ${host} is neither the repository's own host nor in git.submoduleHosts`;
}
