/**
 * Only transports that cannot run local commands: git's `ext::` and an
 * argument starting with `-` (option injection) are the classic attacks.
 */
const SCP_LIKE = /^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:(?!\/\/)[^\s]+$/;
const URL_LIKE = /^(https|ssh|file):\/\/[^\s]+$/;

export function checkRepoUrl(url: string): string | null {
  if (!url) return 'repository URL is empty';
  if (url.startsWith('-')) return `repository URL "${url}" starts with "-" and would be read as an option`;
  if (/\s/.test(url)) return `repository URL "${url}" contains whitespace`;
  if (URL_LIKE.test(url) || SCP_LIKE.test(url)) return null;
  return `repository URL "${url}" is not allowed: use https://, ssh://, user@host:path or file://`;
}
