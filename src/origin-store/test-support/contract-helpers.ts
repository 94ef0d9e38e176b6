/** Small helpers of the object store contract suite (object-store-contract.ts): the context each case gets, bodies, digests, listings. */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect } from 'vitest';

import type { GetResult, ObjectMeta, ObjectStore } from '../object-store.js';

/**
 * Ways a backend used in tests is known to differ from S3. Each names the
 * reason and skips the cases that rely on the behaviour, so the deviation
 * shows in the test report instead of being papered over.
 */
export interface KnownDeviations {
  /** Readers can see a partial object while it is overwritten. */
  nonAtomicOverwrite?: string;
  /** A listing does not interleave `a/...` keys with `a-b`, `a.b` in byte order. */
  listOrderAcrossDirectories?: string;
}

export interface ContractContext {
  store(): ObjectStore;
  deviations: KnownDeviations;
}

export const mib = 1024 * 1024;

/** Deterministic bytes (xorshift32), different for every seed, cheap enough for megabytes. */
export function pattern(size: number, seed: number): Buffer {
  const words = new Uint32Array(Math.ceil(size / 4));
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return Buffer.from(words.buffer, 0, size);
}

export function md5(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** Asserts a body result and reads it whole. */
export async function expectBody(result: GetResult): Promise<{ bytes: Buffer; meta: ObjectMeta; range?: { start: number; end: number } }> {
  expect(result.kind).toBe('body');
  if (result.kind !== 'body') throw new Error(`expected a body, got ${result.kind}`);
  return { bytes: await readAll(result.body), meta: result.meta, range: result.range };
}

/** Frees a result's body without reading it (an S3 body holds a socket until then). */
export function release(result: GetResult): GetResult {
  if (result.kind === 'body') result.body.destroy();
  return result;
}

export async function collect(objects: AsyncIterable<ObjectMeta>): Promise<ObjectMeta[]> {
  const all: ObjectMeta[] = [];
  for await (const meta of objects) all.push(meta);
  return all;
}

/** A stream of `bytes` in `chunkSize` pieces, as an uploader reading a file would produce. */
export function chunkedStream(bytes: Buffer, chunkSize: number): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize) chunks.push(bytes.subarray(offset, offset + chunkSize));
  return Readable.from(chunks, { objectMode: false });
}

/** A stream that yields `before` and then fails, like a source file read that hits an I/O error. */
export function failingStream(before: Buffer, error: Error): Readable {
  async function* produce(): AsyncGenerator<Buffer> {
    yield before;
    await new Promise((resolve) => setImmediate(resolve));
    throw error;
  }
  return Readable.from(produce(), { objectMode: false });
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function inPool<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
