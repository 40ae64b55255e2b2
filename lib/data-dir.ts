import { join } from 'node:path';
import { dirName } from './instance-config.ts';

/**
 * Everything aocbench keeps in an instance's data dir, named in one place.
 * None of it is ever mounted into a sandbox (docs/security.md).
 */
export function dataPaths(dataDir: string) {
  return {
    db: join(dataDir, 'aocbench.db'),
    /** Clones of the participants' repositories: git runs only here. */
    repos: join(dataDir, 'repos'),
    /** A participant's clone: its folder name, or the one its season's view names (seasons of one repository and branch share it). */
    repo: (entry: { name: string; clone?: string }) => join(dataDir, 'repos', entry.clone ?? dirName(entry.name)),
    log: join(dataDir, 'daemon.log'),
    lock: join(dataDir, 'daemon.lock'),
    sessionKey: join(dataDir, 'session.key'),
    /** The VM executor's kernels, initramfs and root file system images. */
    vm: join(dataDir, 'vm'),
  };
}
