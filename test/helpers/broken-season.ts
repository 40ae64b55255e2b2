import { makeRepo } from './git-repo.ts';
import { BUSYBOX_IMAGE, NONROOT } from './images.ts';

const SUM_AWK = '{ s += $1 } END { print "Part 1: " s; print "Part 2: " NR }\n';
export const BROKEN_SEASON_DAY = { '1/sol.awk': SUM_AWK, '1/input.txt': '1\n2\n3\n', '1/answers.txt': '6\n3\n' };

/**
 * Issue 19's season: an honest participant, one whose Dockerfile fails, one
 * whose `image:` does not exist, and one like ShaneMcC/aoc-2023 (`USER nobody`
 * and `VOLUME /code`, built from its Dockerfile). Day 1 of each; the config's participants.
 */
export function brokenSeason(dir: string): { participants: Array<{ name: string; repo: string }>; honestDir: string } {
  const DAY = BROKEN_SEASON_DAY;
  const honest = makeRepo({ '.aocbench.yaml': `version: 1\nimage: ${BUSYBOX_IMAGE}\ncmd: awk -f %day%/sol.awk %input%\n`, ...DAY }, dir);
  const failing = makeRepo({
    '.aocbench.yaml': 'version: 1\ndockerfile: Dockerfile\ncmd: awk -f %day%/sol.awk %input%\n',
    Dockerfile: `FROM ${BUSYBOX_IMAGE}\nRUN echo building the broken image && false\n`,
    ...DAY,
  }, dir);
  const missing = makeRepo({ '.aocbench.yaml': 'version: 1\nimage: nosuch:1\ncmd: awk -f %day%/sol.awk %input%\n', ...DAY }, dir);
  const nonroot = makeRepo({
    '.aocbench.yaml': 'version: 1\ndockerfile: Dockerfile\ncode: /code\nworkdir: /code\ncmd: awk -f %day%/sol.awk %input%\n',
    Dockerfile: `${NONROOT.nobody.dockerfile.join('\n')}\n`,
    ...DAY,
  }, dir);
  return {
    participants: [
      { name: 'Honest', repo: honest.url },
      { name: 'Failing', repo: failing.url },
      { name: 'Missing', repo: missing.url },
      { name: 'Nonroot', repo: nonroot.url },
    ],
    honestDir: honest.dir,
  };
}
