import type Docker from 'dockerode';
import type { BuildLimits } from './types.ts';

/** The instance defaults (lib/instance-config.ts), for builds asked for without limits (the demo image). */
export const DEFAULT_BUILD_LIMITS: BuildLimits = { timeoutSec: 1800, maxImageMb: 10240 };

const LOG_TAIL_CHARS = 64 * 1024;
const MB = 1 << 20;
/** How long Docker gets to remove the stopped step's container itself before it is removed by force. */
const CONTAINER_GONE_MS = 10_000;
/** How long Docker gets to end a cancelled build (it finishes committing the step it was in) before its leftovers are removed. */
const SETTLE_MS = 1500;

/** A build log that keeps its first line and its last characters: a build may print without end. */
export class TailLog {
  private head: string | null = null;
  private parts: string[] = [];
  private size = 0;
  private dropped = false;

  push(text: string): void {
    if (this.head === null) {
      this.head = text;
      return;
    }
    this.parts.push(text);
    this.size += text.length;
    if (this.size > 2 * LOG_TAIL_CHARS) this.trim();
  }

  private trim(): void {
    const all = this.parts.join('');
    this.parts = [all.slice(-LOG_TAIL_CHARS)];
    this.size = this.parts[0].length;
    this.dropped = true;
  }

  text(): string {
    if (this.size > LOG_TAIL_CHARS) this.trim();
    return (this.head ?? '') + (this.dropped ? '[… earlier build output dropped; its last part follows]\n' : '') + this.parts.join('');
  }
}

/** What a build's progress lines say: the image of each finished step, the container of the running one. */
interface BuildTrace {
  steps: string[];
  container: string | null;
}

function trace(t: BuildTrace, line: string): string | null {
  const running = / ---> Running in ([0-9a-f]{12,})/.exec(line);
  if (running) t.container = running[1];
  const step = /^ ---> ([0-9a-f]{12,})\s*$/.exec(line);
  if (step) t.steps.push(step[1]);
  return step?.[1] ?? null;
}

/**
 * Runs `build` (which starts Docker's build with the signal and waits for its
 * end, pushing each log line through `onLine`) within the limits: stopped at
 * the deadline or at the first step whose image is over the size cap. Closing
 * the build's HTTP stream is what makes Docker cancel it (Docker 20.10 kills
 * the step's container within a second). Returns why it was stopped, or null;
 * a stopped build's container, layers and tag are removed.
 */
export async function boundedBuild(
  docker: Docker,
  ref: string,
  limits: BuildLimits,
  build: (signal: AbortSignal, onLine: (line: string) => void) => Promise<void>,
): Promise<string | null> {
  const since = Math.floor(Date.now() / 1000) - 1;
  const ac = new AbortController();
  const t: BuildTrace = { steps: [], container: null };
  let stopped: string | null = null;
  const stop = (why: string) => {
    if (stopped) return;
    stopped = why;
    ac.abort();
  };
  const tooBig = (bytes: number) => bytes > limits.maxImageMb * MB;
  const overMessage = (bytes: number) => `image is ${Math.ceil(bytes / MB)} MB, over the ${limits.maxImageMb} MB limit (build.maxImageMb)`;
  const onLine = (line: string) => {
    const step = trace(t, line);
    if (step) void imageSize(docker, step).then((bytes) => bytes !== null && tooBig(bytes) && stop(overMessage(bytes)));
  };
  const timer = setTimeout(() => stop(`build stopped after ${limits.timeoutSec} s (build.timeoutSec)`), limits.timeoutSec * 1000);
  const aborted = new Promise<void>((resolve) => ac.signal.addEventListener('abort', () => resolve()));
  try {
    await Promise.race([build(ac.signal, onLine), aborted]);
  } catch (e) {
    if (!stopped) throw e;
  } finally {
    clearTimeout(timer);
  }
  // The last step's check may still be on its way; the whole image is checked once more.
  const bytes = stopped ? null : await imageSize(docker, ref);
  if (bytes !== null && tooBig(bytes)) stopped = overMessage(bytes);
  if (stopped) await discard(docker, ref, t, since);
  return stopped;
}

/** An image built earlier (under a larger cap, or tagged as its build was stopped) that is over the cap is removed, so it is built again and refused. */
export async function droppedOversized(docker: Docker, ref: string, limits: BuildLimits): Promise<boolean> {
  const bytes = await imageSize(docker, ref);
  if (bytes === null || bytes <= limits.maxImageMb * MB) return false;
  await docker.getImage(ref).remove().catch(() => {});
  return true;
}

async function imageSize(docker: Docker, ref: string): Promise<number | null> {
  try {
    return (await docker.getImage(ref).inspect()).Size;
  } catch {
    return null;
  }
}

/**
 * Removes what a stopped build leaves: its step's container, its tag, and the
 * untagged images it committed (Docker finishes the step it was in, so those
 * may be newer than the last step the log showed).
 */
async function discard(docker: Docker, ref: string, t: BuildTrace, since: number): Promise<void> {
  if (t.container) await containerGone(docker, t.container);
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  await docker.getImage(ref).remove().catch(() => {});
  const last = t.steps.at(-1);
  if (last) await removeUntaggedLeaves(docker, last, since);
}

const untagged = (tags: string[] | null | undefined) => !(tags ?? []).some((tag) => tag !== '<none>:<none>');

/**
 * The untagged images without children at or below `root` and created since the
 * build began: removing one also removes its untagged parents. A tagged image
 * (the base, another participant's) is never removed; one that another image is
 * built on or a container uses cannot be (Docker refuses).
 */
async function removeUntaggedLeaves(docker: Docker, root: string, since: number): Promise<void> {
  const all = await docker.listImages({ all: true }).catch(() => []);
  const children = new Map<string, typeof all>();
  for (const img of all) children.set(img.ParentId, [...(children.get(img.ParentId) ?? []), img]);
  const start = all.find((img) => img.Id.replace(/^sha256:/, '').startsWith(root));
  const todo = start ? [start] : [];
  while (todo.length) {
    const img = todo.pop()!;
    const below = children.get(img.Id) ?? [];
    todo.push(...below);
    if (!below.length && untagged(img.RepoTags) && img.Created >= since) await docker.getImage(img.Id).remove().catch(() => {});
  }
}

async function containerGone(docker: Docker, id: string): Promise<void> {
  const end = Date.now() + CONTAINER_GONE_MS;
  while (Date.now() < end) {
    const exists = await docker.getContainer(id).inspect().then(() => true, () => false);
    if (!exists) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  await docker.getContainer(id).remove({ force: true }).catch(() => {});
}
