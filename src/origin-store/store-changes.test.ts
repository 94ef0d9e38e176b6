import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { FsObjectStore } from './fs-object-store.js';
import { observeStore } from './store-changes.js';

let dir: string;
let inner: FsObjectStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hlscdn-changes-'));
  inner = new FsObjectStore({ root: dir });
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('observeStore', () => {
  it('tells the subscribers of a key after a put or delete of it has resolved, when readers can see it', async () => {
    const { store, changes } = observeStore(inner);
    const seen: string[] = [];
    changes.subscribe('live/a/index.m3u8', () => {
      seen.push('a');
      // The listener runs once the write is visible.
      void inner.head('live/a/index.m3u8').then((meta) => seen.push(meta ? 'a:present' : 'a:missing'));
    });
    changes.subscribe('live/b/index.m3u8', () => seen.push('b'));
    await store.put('live/a/index.m3u8', '#EXTM3U\n');
    await expect.poll(() => seen).toEqual(['a', 'a:present']);
    await store.delete('live/a/index.m3u8');
    await expect.poll(() => seen).toEqual(['a', 'a:present', 'a', 'a:missing']);
    expect(await store.head('live/b/index.m3u8')).toBeUndefined();
  });

  it('stops telling after unsubscribe, counts one function subscribed twice twice, and unsubscribes idempotently', async () => {
    const { store, changes } = observeStore(inner);
    let calls = 0;
    const listener = () => (calls += 1);
    const first = changes.subscribe('k.ts', listener);
    const second = changes.subscribe('k.ts', listener);
    await store.put('k.ts', 'x');
    expect(calls).toBe(2);
    first();
    first();
    await store.put('k.ts', 'y');
    expect(calls).toBe(3);
    second();
    await store.put('k.ts', 'z');
    expect(calls).toBe(3);
  });

  it('does not tell anyone when the write fails, and a throwing listener never fails the write', async () => {
    const { store, changes } = observeStore(inner, { logger: silentLogger() });
    let calls = 0;
    changes.subscribe('ok.ts', () => {
      calls += 1;
      throw new Error('listener bug');
    });
    changes.subscribe('ok.ts', () => (calls += 1));
    await expect(store.put('ok.ts', 'x')).resolves.toMatchObject({ key: 'ok.ts' });
    expect(calls).toBe(2);
    changes.subscribe('../bad', () => (calls += 1));
    await expect(store.put('../bad', 'x')).rejects.toThrow();
    expect(calls).toBe(2);
  });

  it('passes reads and the description through', async () => {
    const { store } = observeStore(inner);
    await store.put('a/b.ts', 'bytes');
    expect(store.description).toBe(inner.description);
    expect((await store.head('a/b.ts'))?.size).toBe(5);
    const keys: string[] = [];
    for await (const meta of store.list('a/')) keys.push(meta.key);
    expect(keys).toEqual(['a/b.ts']);
  });
});
