import { mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { FsObjectStore } from './fs-object-store.js';
import { describeObjectStoreContract } from './test-support/object-store-contract.js';
import { collect, expectBody, failingStream, pattern } from './test-support/contract-helpers.js';

async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'hlscdn-fs-store-'));
}

describeObjectStoreContract('fs', async () => {
  const dir = await makeTempDir();
  const root = join(dir, 'store');
  await mkdir(root);
  return { store: new FsObjectStore({ root }), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

describe('FsObjectStore on a plain directory', () => {
  let dir: string;
  let root: string;
  let store: FsObjectStore;

  beforeEach(async () => {
    dir = await makeTempDir();
    root = join(dir, 'store');
    await mkdir(root);
    store = new FsObjectStore({ root });
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps data files at <root>/<key>, readable without hlscdn', async () => {
    await store.put('live/720p/index.m3u8', '#EXTM3U\n');
    expect(await readdir(join(root, 'live', '720p'))).toEqual(['index.m3u8']);
    expect(store.description).toBe(`file://${root}`);
  });

  it('serves a file dropped in without a sidecar, with metadata derived from stat', async () => {
    await mkdir(join(root, 'ffmpeg'), { recursive: true });
    await writeFile(join(root, 'ffmpeg', 'seg_001.ts'), pattern(500, 1));
    await utimes(join(root, 'ffmpeg', 'seg_001.ts'), 1_700_000_000, 1_700_000_000);
    const meta = await store.head('ffmpeg/seg_001.ts');
    expect(meta).toMatchObject({
      key: 'ffmpeg/seg_001.ts',
      size: 500,
      contentType: 'video/mp2t',
      cacheControl: 'public, max-age=604800, immutable',
    });
    expect(meta?.etag).toBe(`"${(500).toString(16)}-${(1_700_000_000_000).toString(16)}"`);
    expect(meta?.lastModified.getTime()).toBe(1_700_000_000_000);
    const ranged = await expectBody(await store.get('ffmpeg/seg_001.ts', { range: { start: 100, end: 199 } }));
    expect(ranged.bytes.equals(pattern(500, 1).subarray(100, 200))).toBe(true);
    expect((await collect(store.list('ffmpeg/'))).map((m) => m.key)).toEqual(['ffmpeg/seg_001.ts']);
  });

  it('stops trusting a sidecar once the file was replaced behind the store', async () => {
    const written = await store.put('live/index.m3u8', '#EXTM3U\n', { contentType: 'text/plain' });
    await writeFile(join(root, 'live', 'index.m3u8'), '#EXTM3U\n#EXT-X-ENDLIST\n');
    const meta = await store.head('live/index.m3u8');
    expect(meta?.etag).not.toBe(written.etag);
    expect(meta).toMatchObject({ size: 23, contentType: 'application/vnd.apple.mpegurl' });
    expect((await collect(store.list('live/')))[0]).toMatchObject({ etag: meta?.etag, size: 23 });
  });

  it('keeps metadata when the store is opened again', async () => {
    const written = await store.put('vod/a.bin', 'x', { contentType: 'video/mp4', cacheControl: 'no-cache' });
    const reopened = new FsObjectStore({ root });
    expect(await reopened.head('vod/a.bin')).toEqual(written);
    expect(written.etag).toBe('"9dd4e461268c8034f5c8564e155c67a6"');
  });

  it('leaves no temp files after writes, failed writes included', async () => {
    await store.put('a/1.ts', pattern(10_000, 2));
    await store.put('a/1.ts', pattern(10_000, 3));
    await expect(store.put('a/2.ts', failingStream(pattern(100_000, 4), new Error('boom')))).rejects.toThrow('boom');
    expect(await readdir(join(root, '.hlscdn', 'tmp'))).toEqual([]);
    expect(await readdir(join(root, 'a'))).toEqual(['1.ts']);
  });

  it('keeps serving the version a reader opened while the key is overwritten', async () => {
    await store.put('live/seg.ts', pattern(200_000, 5));
    const result = await store.get('live/seg.ts');
    await store.put('live/seg.ts', pattern(200_000, 6));
    expect((await expectBody(result)).bytes.equals(pattern(200_000, 5))).toBe(true);
  });

  it('refuses symlinks that lead outside the root, for reading and for writing', async () => {
    const outside = join(dir, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'secret.ts'), 'secret');
    await symlink(join(outside, 'secret.ts'), join(root, 'leak.ts'));
    await symlink(outside, join(root, 'escape'));
    expect(await store.get('leak.ts')).toEqual({ kind: 'not-found' });
    expect(await store.head('leak.ts')).toBeUndefined();
    expect(await store.get('escape/secret.ts')).toEqual({ kind: 'not-found' });
    await expect(store.put('escape/new.ts', 'x')).rejects.toMatchObject({ code: 'invalid-key' });
    await expect(store.put('escape/deeper/new.ts', 'x')).rejects.toMatchObject({ code: 'invalid-key' });
    await expect(store.delete('escape/secret.ts')).rejects.toMatchObject({ code: 'invalid-key' });
    expect(await readdir(outside)).toEqual(['secret.ts']);
    expect(await collect(store.list(''))).toEqual([]);
  });

  it('follows a symlink that stays inside the root', async () => {
    await store.put('vod/real.ts', 'content');
    await symlink(join(root, 'vod', 'real.ts'), join(root, 'vod', 'alias.ts'));
    expect((await expectBody(await store.get('vod/alias.ts'))).bytes.toString()).toBe('content');
  });

  it('reports keys that cannot coexist on a filesystem as a conflict', async () => {
    await store.put('a/file.ts', 'x');
    await expect(store.put('a/file.ts/child.ts', 'y')).rejects.toMatchObject({ code: 'conflict' });
    await expect(store.put('a', 'z')).rejects.toMatchObject({ code: 'conflict' });
    expect(await store.get('a')).toEqual({ kind: 'not-found' });
    await expect(store.put('dir/', 'x')).rejects.toMatchObject({ code: 'invalid-key' });
    expect(await store.get('a/')).toEqual({ kind: 'not-found' });
    await expect(store.delete('a/file.ts/child.ts')).resolves.toBeUndefined();
    await expect(store.delete('a')).resolves.toBeUndefined();
    expect(await store.head('a/file.ts')).toMatchObject({ size: 1 });
  });

  it('fails check() when the root is missing, and works once it exists', async () => {
    const missing = new FsObjectStore({ root: join(dir, 'not-yet') });
    await expect(missing.check()).rejects.toMatchObject({ code: 'unavailable' });
    expect(await missing.get('x.ts')).toEqual({ kind: 'not-found' });
    expect(await collect(missing.list(''))).toEqual([]);
    await missing.put('x.ts', 'x');
    await expect(missing.check()).resolves.toBeUndefined();
  });

  it('refuses a relative root', () => {
    expect(() => new FsObjectStore({ root: 'relative/dir' })).toThrow(/absolute/);
  });
});
