import { gzipSync } from 'node:zlib';

/** One entry of an initramfs: a file, a directory, or a character device (e.g. /dev/console). */
export type CpioEntry =
  | { name: string; kind: 'file'; mode: number; data: Buffer }
  | { name: string; kind: 'dir'; mode: number }
  | { name: string; kind: 'char'; mode: number; major: number; minor: number };

const TYPE = { file: 0o100000, dir: 0o040000, char: 0o020000 };
const hex = (n: number) => n.toString(16).padStart(8, '0');
const pad4 = (n: number) => Buffer.alloc((4 - (n % 4)) % 4);

/**
 * A gzipped newc cpio archive, the format the kernel unpacks as an initramfs.
 * Written here so that no host tool (cpio, mknod) is needed: device nodes are
 * just headers in the archive.
 */
export function initramfs(entries: CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  const add = (ino: number, name: string, mode: number, data: Buffer, rdev: [number, number] = [0, 0]) => {
    const nameBuf = Buffer.from(`${name}\0`);
    const fields = [ino, mode, 0, 0, 1, 0, data.length, 0, 0, rdev[0], rdev[1], nameBuf.length, 0];
    const header = Buffer.from(`070701${fields.map(hex).join('')}`);
    parts.push(header, nameBuf, pad4(header.length + nameBuf.length), data, pad4(data.length));
  };
  entries.forEach((e, i) => {
    const mode = TYPE[e.kind] | (e.mode & 0o7777);
    if (e.kind === 'file') add(i + 1, e.name, mode, e.data);
    else if (e.kind === 'char') add(i + 1, e.name, mode, Buffer.alloc(0), [e.major, e.minor]);
    else add(i + 1, e.name, mode, Buffer.alloc(0));
  });
  add(entries.length + 1, 'TRAILER!!!', 0, Buffer.alloc(0));
  return gzipSync(Buffer.concat(parts));
}
