import { StringDecoder } from 'node:string_decoder';
import { printable } from '../../lib/printable.ts';

type Write = typeof process.stdout.write;

/**
 * Every line the CLI prints (tables, progress, errors, a solution's output,
 * a participant's file names) can carry what a participant wrote: all of it
 * passes `printable` on its way to stdout and stderr, in one place, so no
 * output path can forget it. A child given the terminal itself (`aocbench
 * shell`) is not affected: its output does not go through these streams.
 */
export function guardTerminal(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    const original = stream.write.bind(stream) as (chunk: string, cb?: (err?: Error | null) => void) => boolean;
    // One decoder per stream: a UTF-8 character split across two buffers is judged whole.
    const decoder = new StringDecoder('utf8');
    const guarded = (chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
      const done = (typeof encoding === 'function' ? encoding : cb) as ((err?: Error | null) => void) | undefined;
      const text =
        typeof chunk === 'string'
          ? chunk
          : chunk instanceof Uint8Array
            ? decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))
            : String(chunk);
      return original(printable(text), done);
    };
    stream.write = guarded as Write;
  }
}
