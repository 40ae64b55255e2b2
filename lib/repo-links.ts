/** Browser links into a participant's repository (GitHub, GitLab, otherwise Gitea/Forgejo style). */
export function repoWebUrl(repo: string): string | null {
  let url = repo.trim();
  const scp = /^[^@\s]+@([^:\s]+):(?!\/\/)(.+)$/.exec(url);
  if (scp) url = `https://${scp[1]}/${scp[2]}`;
  url = url.replace(/^ssh:\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\//, 'https://$1/');
  if (!/^https:\/\//.test(url)) return null;
  return url.replace(/\.git$/, '').replace(/\/+$/, '');
}

export function repoFileUrl(repo: string, branch: string | null, path: string): string | null {
  const web = repoWebUrl(repo);
  if (!web) return null;
  const p = path.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  if (/^https:\/\/github\.com\//.test(web)) return `${web}/tree/${branch ?? 'HEAD'}/${p}`;
  if (/^https:\/\/gitlab\./.test(web)) return `${web}/-/tree/${branch ?? 'HEAD'}/${p}`;
  return branch ? `${web}/src/branch/${branch}/${p}` : `${web}/src/HEAD/${p}`;
}
