/**
 * A window of a byte stream: drop `skip` bytes, pass `length` bytes, then stop
 * reading and release the source (an HTTP body keeps its socket until then).
 * Used when a server returns more of an object than the range asked for.
 */
import { Readable } from 'node:stream';

export function sliceReadable(source: Readable, skip: number, length: number): Readable {
  const end = skip + length;
  async function* window(): AsyncGenerator<Buffer> {
    let position = 0;
    try {
      for await (const chunk of source as AsyncIterable<Buffer | string>) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        const chunkStart = position;
        position += bytes.length;
        const from = Math.max(0, skip - chunkStart);
        const to = Math.min(bytes.length, end - chunkStart);
        if (to > from) yield bytes.subarray(from, to);
        if (position >= end) return;
      }
      if (position < end) throw new Error(`body ended after ${position} bytes, ${end} expected`);
    } finally {
      source.destroy();
    }
  }
  return Readable.from(window(), { objectMode: false });
}
