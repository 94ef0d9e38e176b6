import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';

import { readAll } from './test-support/contract-helpers.js';
import { sliceReadable } from './slice-readable.js';

const bytes = Buffer.from(Array.from({ length: 100 }, (_, i) => i));
const chunked = () => Readable.from([bytes.subarray(0, 30), bytes.subarray(30, 60), bytes.subarray(60)], { objectMode: false });

describe('sliceReadable', () => {
  it.each([
    [0, 1],
    [25, 10],
    [29, 2],
    [59, 41],
    [0, 100],
  ])('passes %i bytes skipped then %i bytes across chunk borders', async (skip, length) => {
    expect((await readAll(sliceReadable(chunked(), skip, length))).equals(bytes.subarray(skip, skip + length))).toBe(true);
  });

  it('stops reading and releases the source once the window is complete', async () => {
    const source = chunked();
    await readAll(sliceReadable(source, 0, 5));
    expect(source.destroyed).toBe(true);
  });

  it('fails when the source ends before the window does', async () => {
    await expect(readAll(sliceReadable(chunked(), 90, 20))).rejects.toThrow(/ended after 100 bytes, 110 expected/);
  });
});
