import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDataDb } from '../../db/client.ts';
import { listHealth } from '../../db/queries/health.ts';
import { listMatrixInputs } from '../../db/queries/matrix.ts';
import { listHistoryPresenceOf, listParticipantViews, listResultViews, listWipDays } from '../../db/queries/views.ts';
import { buildLeaderboard } from '../../lib/leaderboard.ts';
import { bench } from '../../runner/cycle/bench.ts';
import { matrix } from '../../runner/cycle/matrix.ts';
import { commit, makeRepo, tempDir } from '../helpers/git-repo.ts';
import { BUSYBOX_IMAGE } from '../helpers/images.ts';
import { quietProgress, writeInstance } from '../helpers/instance.ts';

const SUM = '{ s += $1 } END { print s; print NR }\n';

describe('work-in-progress days', () => {
  it('a .wip dir or a .nobench sibling is not run and shows as WIP, keeping its results as history', async () => {
    const base = tempDir();
    const dirs = makeRepo({
      '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`,
      '1/sol.awk': SUM, '1/input.txt': '1\n2\n', '1/answers.txt': '3\n2\n',
      '2/sol.awk': SUM, '2/input.txt': '4\n', '2/answers.txt': '4\n1\n',
    }, base);
    const files = makeRepo({
      '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ndaypath: src/day%day%.awk\ninputfile: inputs/%day%.txt\ncmd: awk -f src/day%day%.awk %input%\n`,
      'src/day1.awk': SUM, 'src/day2.awk': SUM,
    }, base);
    const config = writeInstance(base, { year: 2024, days: 2, repeat: { runs: 3 }, participants: [{ name: 'dirs', repo: dirs.url }, { name: 'files', repo: files.url }] });
    expect((await bench({ config, progress: quietProgress() })).jobs).toHaveLength(4);

    commit(dirs.dir, { '2/.wip': '' });
    commit(files.dir, { 'src/day1.awk.nobench': '' });
    const s = await bench({ config, progress: quietProgress() });
    expect(s.jobs).toEqual([]);
    const m = await matrix({ config, progress: quietProgress(), noUpdate: true });
    expect(m.cells.map((c) => `${c.solver}/${c.day}`).sort()).toEqual(['dirs/1', 'files/2']);

    const db = openDataDb(join(base, 'data'));
    try {
      const ps = listParticipantViews(db);
      const id = (n: string) => ps.find((p) => p.name === n)!.id;
      expect(listWipDays(db)).toEqual(new Set([`${id('dirs')}/2`, `${id('files')}/1`]));
      expect(listHealth(db).find((h) => h.participantId === id('dirs') && h.day === 2 && h.topic === 'day')?.message).toMatch(/Work in progress/);
      const lb = buildLeaderboard({
        participants: ps.map((p) => ({ ...p, daypath: p.config?.daypath })), results: listResultViews(db), history: listHistoryPresenceOf(db, ps.map((p) => p.id)),
        method: 'median', podium: true, year: 2024, wip: listWipDays(db),
      });
      const cell = lb.rows.find((r) => r.day === 2)!.cells.find((c) => c.participantId === id('dirs'))!;
      expect(cell).toMatchObject({ status: 'wip', value: null, medal: null });
      expect(cell.history).toHaveLength(1);
      expect(cell.history[0].status).toBe('correct');
      const other = lb.rows.find((r) => r.day === 2)!.cells.find((c) => c.participantId === id('files'))!;
      expect(other.medal, JSON.stringify(other)).toBe('gold');
    } finally {
      db.$client.close();
    }
  });

  it("an admin-ignored input is neither shared nor in the matrix, and says so on the health page", async () => {
    const base = tempDir();
    const files = (input: string, answers: string) => ({
      '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`, '1/sol.awk': SUM, '1/input.txt': input, '1/answers.txt': answers,
    });
    const bad = makeRepo(files('1\n', '1\n1\n'), base);
    const good = makeRepo(files('2\n3\n', '5\n2\n'), base);
    const config = writeInstance(base, { year: 2024, days: 1, repeat: { runs: 2 }, participants: [{ name: 'bad', repo: bad.url, ignoreInputs: [1] }, { name: 'good', repo: good.url }] });
    const s = await bench({ config, progress: quietProgress() });
    expect(s.jobs.map((j) => j.outcome?.status)).toEqual(['correct', 'correct']);
    await matrix({ config, progress: quietProgress(), noUpdate: true });
    const db = openDataDb(join(base, 'data'));
    try {
      expect(listResultViews(db).map((r) => r.inputSource)).toEqual(['good', 'good']);
      const bad1 = listHealth(db).find((h) => h.participantId === listParticipantViews(db)[0].id && h.day === 1 && h.topic === 'day');
      expect(bad1?.message).toMatch(/not used by others \(admin\)/);
      expect(listMatrixInputs(db).map((i) => i.name)).toEqual(['good']);
    } finally {
      db.$client.close();
    }
  });
});
