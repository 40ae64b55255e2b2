import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureBusyboxImage } from '../../runner/demo/busybox-image.ts';
import { DockerExecutor } from '../../runner/executor/docker.ts';

/** Test images built FROM scratch: no registry is reachable here. */
export const BUSYBOX_IMAGE = 'aocbench-test/busybox:1';
export const GLIBC_IMAGE = 'aocbench-test/glibc-bash:1';
export const NOSHELL_IMAGE = 'aocbench-test/noshell:1';
export const MUSL_IMAGE = 'aocbench-test/musl:1';

/**
 * Images whose Dockerfile names a non-root USER, as participants write them
 * (FROM the busybox image): `USER nobody` with `VOLUME /code` (like
 * ShaneMcC/aoc-2023), a bare uid with no passwd entry and no /code, and a
 * named user with a supplementary group. `uid`/`gid`/`groups`: what `id`
 * must say inside.
 */
export const NONROOT = {
  nobody: {
    ref: 'aocbench-test/nobody-volume:1', uid: 65534, gid: 65534, groups: [65534],
    dockerfile: [
      `FROM ${BUSYBOX_IMAGE}`,
      `RUN mkdir -p /etc && printf 'root:x:0:0:root:/root:/bin/sh\\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\\n' > /etc/passwd && printf 'root:x:0:\\nnogroup:x:65534:\\n' > /etc/group`,
      'USER nobody', 'WORKDIR /code', 'VOLUME /code',
    ],
  },
  numeric: { ref: 'aocbench-test/uid1000:1', uid: 1000, gid: 0, groups: [0], dockerfile: [`FROM ${BUSYBOX_IMAGE}`, 'USER 1000'] },
  named: {
    ref: 'aocbench-test/named-user:1', uid: 1234, gid: 1234, groups: [1234, 2345],
    dockerfile: [
      `FROM ${BUSYBOX_IMAGE}`,
      `RUN mkdir -p /etc /home/aoc && printf 'root:x:0:0:root:/root:/bin/sh\\naoc:x:1234:1234:aoc:/home/aoc:/bin/sh\\n' > /etc/passwd && printf 'root:x:0:\\naoc:x:1234:\\nbench:x:2345:aoc\\n' > /etc/group && chown 1234:1234 /home/aoc`,
      'USER aoc',
    ],
  },
} as const;

/** The other forms of USER, on the named user's image: `uid:gid` and `name:group`. */
export const USER_FORMS = { uidGid: 'aocbench-test/user-uid-gid:1', nameGroup: 'aocbench-test/user-name-group:1' } as const;

/** An image FROM the busybox test image with more Dockerfile lines (built once). */
export function buildOnBusybox(ref: string, lines: string[]): string {
  build(ref, {}, `FROM ${BUSYBOX_IMAGE}\n${lines.join('\n')}\n`);
  return ref;
}

export function buildNonrootImages(): void {
  for (const img of Object.values(NONROOT)) build(img.ref, {}, `${img.dockerfile.join('\n')}\n`);
  build(USER_FORMS.uidGid, {}, `FROM ${NONROOT.named.ref}\nUSER 1234:2345\n`);
  build(USER_FORMS.nameGroup, {}, `FROM ${NONROOT.named.ref}\nUSER aoc:bench\n`);
}

function docker(args: string[], input?: string): string {
  return execFileSync('docker', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function imageExists(ref: string): boolean {
  try {
    docker(['image', 'inspect', ref]);
    return true;
  } catch {
    return false;
  }
}

function build(ref: string, files: Record<string, string>, dockerfile: string): void {
  if (imageExists(ref)) return;
  const ctx = mkdtempSync(join(tmpdir(), 'aocbench-img-'));
  try {
    for (const [dest, src] of Object.entries(files)) {
      mkdirSync(dirname(join(ctx, dest)), { recursive: true });
      copyFileSync(src, join(ctx, dest));
    }
    writeFileSync(join(ctx, 'Dockerfile'), dockerfile);
    execFileSync('docker', ['build', '-q', '-t', ref, ctx], { stdio: 'pipe' });
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}

/** Shared libraries of a host binary, as ldd lists them. */
function libsOf(bin: string): string[] {
  const out = execFileSync('ldd', [bin], { encoding: 'utf8' });
  return [...out.matchAll(/(\/\S+\.so[^\s]*)/g)].map((m) => m[1]);
}

/** A dynamically linked musl program and musl's loader, nothing else (like an Alpine image without busybox). */
function buildMuslImage(): void {
  if (imageExists(MUSL_IMAGE)) return;
  const out = join(mkdtempSync(join(tmpdir(), 'aocbench-musl-')), 'sum');
  execFileSync('musl-gcc', ['-O2', '-o', out, join(import.meta.dirname, '../fixtures/sum.c')], { stdio: 'pipe' });
  build(MUSL_IMAGE, { 'bin/sum': out, 'lib/ld-musl-x86_64.so.1': realpathSync('/lib/ld-musl-x86_64.so.1') }, 'FROM scratch\nCOPY . /\n');
}

export async function buildTestImages(): Promise<void> {
  await ensureBusyboxImage(new DockerExecutor(), BUSYBOX_IMAGE);
  const libs = libsOf('/bin/bash');
  const files: Record<string, string> = { 'bin/bash': '/bin/bash' };
  for (const l of libs) files[l.slice(1)] = l;
  build(GLIBC_IMAGE, files, 'FROM scratch\nCOPY . /\nENV PATH=/bin\n');
  buildMuslImage();
  // Like distroless: one binary and no shell at all.
  build(NOSHELL_IMAGE, { 'bin/busybox': '/bin/busybox' }, 'FROM scratch\nCOPY bin/busybox /bin/busybox\n');
}
