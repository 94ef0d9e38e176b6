/** Contract cases for writing and reading whole objects (see `object-store.case.ts`). */
import { describe, expect, it } from 'vitest';

import { cacheControlForKey } from '../cache-policy.js';
import { type ContractContext, chunkedStream, expectBody, failingStream, md5, mib, pattern, release } from './contract-helpers.js';

export function registerWriteCases({ store, deviations }: ContractContext): void {
  describe('put, get, head', () => {
    it('stores bytes and serves them with metadata derived from the key', async () => {
      const key = 'vod/a/seg-1.ts';
      const data = pattern(1000, 1);
      const meta = await store().put(key, data);
      expect(meta).toMatchObject({ key, size: 1000, contentType: 'video/mp2t', cacheControl: cacheControlForKey(key) });
      expect(meta.etag).toMatch(/^"[^"]+"$/);
      expect(meta.lastModified).toBeInstanceOf(Date);
      const got = await expectBody(await store().get(key));
      expect(got.bytes.equals(data)).toBe(true);
      expect(got.meta).toEqual(meta);
      expect(got.range).toBeUndefined();
    });

    it('stores strings as UTF-8 and gives playlists the playlist cache policy', async () => {
      const key = 'live/720p/index.m3u8';
      const text = '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nsegment-é.ts\n';
      const meta = await store().put(key, text);
      expect(meta).toMatchObject({
        size: Buffer.byteLength(text),
        contentType: 'application/vnd.apple.mpegurl',
        cacheControl: cacheControlForKey(key),
      });
      expect(meta.cacheControl).not.toBe(cacheControlForKey('live/720p/seg.ts'));
      expect((await expectBody(await store().get(key))).bytes.toString('utf8')).toBe(text);
    });

    it('stores a stream', async () => {
      const data = pattern(300_000, 2);
      const meta = await store().put('live/seg-2.m4s', chunkedStream(data, 16_384));
      expect(meta).toMatchObject({ size: data.length, contentType: 'video/iso.segment' });
      expect(md5((await expectBody(await store().get('live/seg-2.m4s'))).bytes)).toBe(md5(data));
    });

    it.each([
      ['bytes', (data: Buffer) => data],
      ['a stream', (data: Buffer) => chunkedStream(data, 64 * 1024)],
    ])(
      'stores a 6 MiB body given as %s (past the multipart threshold)',
      async (_form, asBody) => {
        const data = pattern(6 * mib, 3);
        const meta = await store().put('vod/big.mp4', asBody(data));
        expect(meta.size).toBe(data.length);
        const got = await expectBody(await store().get('vod/big.mp4'));
        expect(got.bytes.length).toBe(data.length);
        expect(md5(got.bytes)).toBe(md5(data));
      },
      60_000,
    );

    it('keeps an explicit content type and cache control', async () => {
      const options = { contentType: 'text/plain; charset=utf-8', cacheControl: 'no-store' };
      const meta = await store().put('misc/notes.ts', 'not a transport stream', options);
      expect(meta).toMatchObject(options);
      expect(await store().head('misc/notes.ts')).toMatchObject(options);
      expect(release(await store().get('misc/notes.ts'))).toMatchObject({ kind: 'body', meta: options });
    });

    it('heads what it stored and nothing else', async () => {
      const meta = await store().put('vod/init.mp4', pattern(100, 4));
      expect(await store().head('vod/init.mp4')).toEqual(meta);
      expect(await store().head('vod/missing.mp4')).toBeUndefined();
      expect(await store().get('vod/missing.mp4')).toEqual({ kind: 'not-found' });
    });

    it('keeps keys with spaces and non-ASCII characters exact', async () => {
      const key = 'live/my show/ségment 1 (a+b).ts';
      await store().put(key, 'x');
      expect((await expectBody(await store().get(key))).bytes.toString()).toBe('x');
      expect((await store().head(key))?.key).toBe(key);
    });

    it('keeps the etag while the object is unchanged and changes it on overwrite', async () => {
      const first = await store().put('live/index.m3u8', '#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:1\n');
      expect((await store().head('live/index.m3u8'))?.etag).toBe(first.etag);
      expect((await store().head('live/index.m3u8'))?.etag).toBe(first.etag);
      const second = await store().put('live/index.m3u8', '#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:2\n');
      expect(second.etag).not.toBe(first.etag);
      const got = await expectBody(await store().get('live/index.m3u8'));
      expect(got.meta.etag).toBe(second.etag);
      expect(got.bytes.toString()).toContain('SEQUENCE:2');
    });

    it('leaves nothing behind when a stream body fails mid-way', async () => {
      const failure = new Error('source read failed');
      await expect(store().put('live/broken.ts', failingStream(pattern(70_000, 5), failure))).rejects.toBe(failure);
      expect(await store().head('live/broken.ts')).toBeUndefined();
      const before = await store().put('live/kept.ts', 'old');
      await expect(store().put('live/kept.ts', failingStream(pattern(70_000, 6), failure))).rejects.toBe(failure);
      expect(await store().head('live/kept.ts')).toEqual(before);
      expect((await expectBody(await store().get('live/kept.ts'))).bytes.toString()).toBe('old');
    });

    it.skipIf(deviations.nonAtomicOverwrite !== undefined)(
      `overwrites atomically: readers during repeated overwrites always get one whole version${deviations.nonAtomicOverwrite ? ` (skipped: ${deviations.nonAtomicOverwrite})` : ''}`,
      async () => {
        const key = 'live/atomic.ts';
        const versions = [1, 2, 3].map((seed) => pattern(2 * mib, 100 + seed));
        const digests = new Set(versions.map(md5));
        await store().put(key, versions[0] as Buffer);
        let writing = true;
        const writer = async () => {
          try {
            for (let i = 1; i <= 9; i++) await store().put(key, versions[i % versions.length] as Buffer);
          } finally {
            writing = false;
          }
        };
        const reader = async () => {
          const seen: string[] = [];
          do {
            const got = await expectBody(await store().get(key));
            seen.push(md5(got.bytes));
          } while (writing);
          return seen;
        };
        const [, ...seen] = await Promise.all([writer(), reader(), reader(), reader()]);
        for (const digest of seen.flat()) expect(digests.has(digest)).toBe(true);
      },
      60_000,
    );

    it('reports a working backend and closes idempotently', async () => {
      await expect(store().check()).resolves.toBeUndefined();
      await store().close();
      await expect(store().close()).resolves.toBeUndefined();
    });
  });
}
