import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { FsObjectStore } from '../fs-object-store.js';
import { observeStore } from '../store-changes.js';
import { StoreWatch, type Snapshot } from './store-watch.js';

let dir: string;
let store: FsObjectStore;
let watch: StoreWatch | undefined;
let calls: { head: number; get: number };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hlscdn-watch-'));
  store = new FsObjectStore({ root: dir });
  calls = { head: 0, get: 0 };
});

afterEach(async () => {
  watch?.close();
  await rm(dir, { recursive: true, force: true });
});

function startWatch(options: Partial<ConstructorParameters<typeof StoreWatch>[0]> = {}): StoreWatch {
  watch = new StoreWatch({ store, logger: silentLogger(), pollIntervalMs: 10, onStoreCall: (call) => (calls[call] += 1), ...options });
  return watch;
}

const textOf = (snapshot: Snapshot) => (snapshot.kind === 'present' ? snapshot.text : undefined);
const hasLine = (line: string) => (snapshot: Snapshot) => (textOf(snapshot)?.includes(line) ? textOf(snapshot) : undefined);

describe('StoreWatch', () => {
  it('shares one watch among all waiters of a key: one body read per version, heads while it is unchanged', async () => {
    await store.put('p/index.m3u8', 'v1\n');
    const w = startWatch();
    const waits = Array.from({ length: 50 }, () => w.wait('p/index.m3u8', 'text', hasLine('v2'), { timeoutMs: 5_000 }));
    expect(w.waiting).toBe(50);
    await expect.poll(() => calls.head).toBeGreaterThan(3);
    expect(calls.get).toBe(1);
    await store.put('p/index.m3u8', 'v2\n');
    const outcomes = await Promise.all(waits);
    expect(outcomes.every((o) => o.kind === 'done' && o.value === 'v2\n')).toBe(true);
    expect(calls.get).toBe(2);
    expect(w.waiting).toBe(0);
    // Idle now: no more polling, and the next read revalidates the kept snapshot with a head.
    const heads = calls.head;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls.head).toBe(heads);
    expect(textOf(await w.read('p/index.m3u8', 'text'))).toBe('v2\n');
    expect(calls).toEqual({ head: heads + 1, get: 2 });
  });

  it('wakes on StoreChanges without polling', async () => {
    const observed = observeStore(store);
    await store.put('p/index.m3u8', 'v1\n');
    const w = startWatch({ changes: observed.changes, pollIntervalMs: 60_000 });
    const waiting = w.wait('p/index.m3u8', 'text', hasLine('v2'), { timeoutMs: 5_000 });
    await expect.poll(() => calls.get).toBe(1);
    await observed.store.put('p/index.m3u8', 'v2\n');
    expect(await waiting).toEqual({ kind: 'done', value: 'v2\n' });
    // One HEAD when the watch started; the notification costs one conditional GET and no HEAD.
    expect(calls).toEqual({ head: 1, get: 2 });
  });

  it('watches existence without reading bodies', async () => {
    const w = startWatch();
    const waiting = w.wait('p/part1.m4s', 'exists', (s) => (s.kind === 'present' ? s.meta.size : undefined), { timeoutMs: 5_000 });
    await expect.poll(() => calls.head).toBeGreaterThan(1);
    await store.put('p/part1.m4s', 'abc');
    expect(await waiting).toEqual({ kind: 'done', value: 3 });
    expect(calls.get).toBe(0);
  });

  it('ends waits on timeout, abort, overload and close, and stops polling when none is left', async () => {
    await store.put('p/index.m3u8', 'v1\n');
    const w = startWatch({ maxWaiters: 2 });
    expect(await w.wait('p/index.m3u8', 'text', hasLine('never'), { timeoutMs: 30 })).toEqual({ kind: 'timeout' });
    const abort = new AbortController();
    const aborted = w.wait('p/index.m3u8', 'text', hasLine('never'), { timeoutMs: 5_000, signal: abort.signal });
    const closed = w.wait('p/index.m3u8', 'text', hasLine('never'), { timeoutMs: 5_000 });
    expect(await w.wait('p/index.m3u8', 'text', hasLine('never'), { timeoutMs: 5_000 })).toEqual({ kind: 'overloaded' });
    abort.abort();
    expect(await aborted).toEqual({ kind: 'aborted' });
    expect(w.waiting).toBe(1);
    w.close();
    w.close();
    expect(await closed).toEqual({ kind: 'closed' });
    expect(await w.wait('p/index.m3u8', 'text', hasLine('v1'), { timeoutMs: 5_000 })).toEqual({ kind: 'closed' });
    const heads = calls.head;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls.head).toBe(heads);
  });

  it('keeps the snapshots of the most recently used idle watches only', async () => {
    await store.put('a/index.m3u8', 'a\n');
    await store.put('b/index.m3u8', 'b\n');
    const w = startWatch({ maxIdleWatches: 1 });
    await w.read('a/index.m3u8', 'text');
    await w.read('a/index.m3u8', 'text');
    expect(calls).toEqual({ head: 2, get: 1 });
    await w.read('b/index.m3u8', 'text');
    expect(textOf(await w.read('a/index.m3u8', 'text'))).toBe('a\n');
    // a was evicted when b came: read again.
    expect(calls).toEqual({ head: 4, get: 3 });
  });

  it('answers a waiter at once from a snapshot the watch already has', async () => {
    await store.put('p/index.m3u8', 'v1\n');
    const w = startWatch();
    const first = w.wait('p/index.m3u8', 'text', hasLine('v2'), { timeoutMs: 5_000 });
    await expect.poll(() => calls.get).toBe(1);
    expect(await w.wait('p/index.m3u8', 'text', hasLine('v1'), { timeoutMs: 5_000 })).toEqual({ kind: 'done', value: 'v1\n' });
    await store.put('p/index.m3u8', 'v2\n');
    expect((await first).kind).toBe('done');
  });
});
