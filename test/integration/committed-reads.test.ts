/**
 * What the runner reads from a participant's commit: the content and the
 * commit it names are the same one, and an input too big to be an Advent of
 * Code input is not read into memory (a repository is hostile input too).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveInstance } from '../../lib/seasons.ts';
import { syncRepo } from '../../runner/git/sync.ts';
import { MAX_TEXT_BYTES } from '../../runner/git/tree.ts';
import { loadParticipantState, repoDirOf } from '../../runner/prepare/participant-state.ts';
import { commit, git, makeRepo, tempDir } from '../helpers/git-repo.ts';

const YAML = 'version: 1\nimage: busybox\ncmd: awk -f %day%/sol.awk %input%\n';

async function stateOf(url: string) {
  const base = tempDir();
  const inst = resolveInstance(`year: 2024\ndays: 2\ndataDir: ${join(base, 'data')}\nparticipants:\n  - name: ada\n    repo: ${url}\n`, join(base, 'aocbench.yaml'), base);
  const entry = inst.config.participants[0];
  const sync = await syncRepo(entry.repo, repoDirOf(inst.dataDir, entry), entry.branch);
  expect(sync.ok).toBe(true);
  return loadParticipantState(inst.config, inst.dataDir, entry);
}

describe('committed content', () => {
  it('names the commit its content was read from', async () => {
    const repo = makeRepo({ '.aocbench.yaml': YAML, '1/sol.awk': '{}', '1/input.txt': '1\n' });
    commit(repo.dir, { '1/input.txt': '2\n' });
    const state = await stateOf(repo.url);
    expect(state.tree!.commit).toBe(git(repo.dir, 'rev-parse', 'HEAD').trim());
    expect(state.days.get(1)!.input).toBe('2\n');
  });

  it('does not read an input over the size limit, and says why on that day', async () => {
    const repo = makeRepo({ '.aocbench.yaml': YAML, '1/sol.awk': '{}', '1/input.txt': 'x'.repeat(MAX_TEXT_BYTES + 1), '2/sol.awk': '{}', '2/input.txt': '1\n' });
    const state = await stateOf(repo.url);
    expect(state.days.get(1)!.input).toBeNull();
    expect(state.days.get(1)!.problem).toMatch(/1\/input\.txt is over 16 MB and is not read/);
    expect(state.days.get(2)!.input).toBe('1\n');
    expect(state.days.get(2)!.problem).toBeNull();
  });
});
