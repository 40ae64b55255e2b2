import type Docker from 'dockerode';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { reservedBases } from '../../lib/participant-config.ts';
import { contentVersion } from '../../lib/versions.ts';
import { boundedBuild, DEFAULT_BUILD_LIMITS, droppedOversized, TailLog } from './docker-build.ts';
import { tarOf } from './tar.ts';
import type { ImageOutcome, ImageRequest, TreeSource } from './types.ts';

/** The participant's image in Docker: `image:` used (pulled only if absent), a Dockerfile built; a dry run builds and pulls nothing. */
export function dockerImage(docker: Docker, req: ImageRequest): Promise<ImageOutcome> {
  if (req.kind === 'image') return req.dryRun ? existingImage(docker, req.ref, 'image') : useImage(docker, req.ref);
  return req.dryRun ? existingImage(docker, req.tag ?? dockerfileImageRef(req.tree, req.dockerfile, req.repoName), 'dockerfile') : buildImage(docker, req);
}

async function inspectId(docker: Docker, ref: string): Promise<string | null> {
  try {
    return (await docker.getImage(ref).inspect()).Id;
  } catch {
    return null;
  }
}

/** Waits for a build or pull stream to end, collecting its log; rejects with Docker's error. */
export function followProgress(docker: Docker, stream: NodeJS.ReadableStream, log: { push(line: string): unknown } = []): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, out: Array<{ error?: string }>) => {
        const failed = err?.message ?? out.find((o) => o.error)?.error;
        if (failed) reject(new Error(failed));
        else resolve();
      },
      (ev: { stream?: string; status?: string; error?: string }) => {
        const t = ev.stream ?? (ev.status ? `${ev.status}\n` : ev.error ? `${ev.error}\n` : '');
        if (t) log.push(t);
      },
    );
  });
}

/**
 * `image:` — the local image, pulled only when absent. Its id is part of every
 * day's run key, so a new image behind the same tag re-runs the days.
 */
async function useImage(docker: Docker, ref: string): Promise<ImageOutcome> {
  const log: string[] = [];
  let id = await inspectId(docker, ref);
  if (!id) {
    try {
      log.push(`Image ${ref} is not present locally; pulling.\n`);
      await followProgress(docker, await docker.pull(ref), log);
      id = await inspectId(docker, ref);
    } catch (e) {
      log.push(`Pull failed: ${(e as Error).message}\n`);
    }
  }
  if (!id) {
    log.push(`Image "${ref}" is not available locally and could not be pulled.\n`);
    return { ok: false, kind: 'image', ref, imageId: null, built: false, log: log.join('') };
  }
  return { ok: true, kind: 'image', ref, imageId: id, built: false, log: log.join('') };
}

/**
 * `dockerfile:` — built with the Dockerfile's directory as context (as AoCBench)
 * and tagged by a hash of that directory's committed content, so a fresh clone
 * of the same files finds the image and does not rebuild.
 */
export function dockerfileImageRef(tree: Pick<TreeSource, 'entries'>, dockerfile: string, repoName: string): string {
  const ctxDir = posix.dirname(dockerfile);
  const hash = contentVersion(tree.entries, [ctxDir === '.' ? '' : ctxDir]) ?? 'empty';
  return `aocbench-${repoName.toLowerCase()}:${hash.slice(0, 12)}`;
}

/** What an image would be without building or pulling anything (for --dry-run). */
async function existingImage(docker: Docker, ref: string, kind: ImageOutcome['kind']): Promise<ImageOutcome> {
  const id = await inspectId(docker, ref);
  if (id) return { ok: true, kind, ref, imageId: id, built: false, log: '' };
  // A missing Dockerfile image would be built; a missing `image:` would need a pull that may fail.
  return kind === 'dockerfile'
    ? { ok: true, kind, ref, imageId: `${ref} (not built yet)`, built: false, log: '' }
    : { ok: false, kind, ref, imageId: null, built: false, log: `Image ${ref} is not present locally (a real run would try to pull it).\n` };
}

async function buildImage(docker: Docker, opts: Extract<ImageRequest, { kind: 'dockerfile' }>): Promise<ImageOutcome> {
  const ctxDir = posix.dirname(opts.dockerfile);
  const ref = opts.tag ?? dockerfileImageRef(opts.tree, opts.dockerfile, opts.repoName);
  const limits = opts.limits ?? DEFAULT_BUILD_LIMITS;
  const existing = await inspectId(docker, ref);
  if (existing && !(await droppedOversized(docker, ref, limits))) return { ok: true, kind: 'dockerfile', ref, imageId: existing, built: false, log: `Image ${ref} is up to date.\n` };
  const log = new TailLog();
  log.push(`Building ${ref} from ${opts.dockerfile}\n`);
  const bad = reservedBases((await opts.tree.read(opts.dockerfile)) ?? '');
  if (bad.length) {
    log.push(`The Dockerfile may not build FROM ${bad.join(', ')}: aocbench-<name> images are other participants' and image ids may be anyone's.\n`);
    return { ok: false, kind: 'dockerfile', ref, imageId: null, built: false, log: log.text() };
  }
  try {
    // Only committed files go into the context (decrypted, as the code copy): what the tag's hash describes.
    const prefix = ctxDir === '.' ? '' : `${ctxDir}/`;
    const files = (await opts.tree.files(opts.maxBytes)).filter((f) => f.path.startsWith(prefix)).map((f) => ({ ...f, path: f.path.slice(prefix.length) }));
    const context = await tarOf(files);
    const stopped = await boundedBuild(docker, ref, limits, async (abortSignal, onLine) => {
      const stream = await docker.buildImage(Readable.from([context]), {
        t: ref,
        dockerfile: posix.basename(opts.dockerfile),
        rm: true,
        forcerm: true,
        labels: { aocbench: '1' },
        ...(opts.network === false ? { networkmode: 'none' } : {}),
        abortSignal,
      });
      await followProgress(docker, stream, { push: (line: string) => (log.push(line), onLine(line)) });
    });
    if (stopped) {
      log.push(`\nBuild refused: ${stopped}; the build and its layers were removed.\n`);
      return { ok: false, kind: 'dockerfile', ref, imageId: null, built: true, log: log.text() };
    }
  } catch (e) {
    log.push(`Build failed: ${(e as Error).message}\n`);
    return { ok: false, kind: 'dockerfile', ref, imageId: null, built: true, log: log.text() };
  }
  const id = await inspectId(docker, ref);
  return { ok: id !== null, kind: 'dockerfile', ref, imageId: id, built: true, log: log.text() };
}

