/** Contract cases for listing, deleting and refusing bad keys (see `object-store.case.ts`). */
import { describe, expect, it } from 'vitest';

import { HlscdnError } from '../../core/errors.js';
import { type ContractContext, collect, expectBody, inPool, release } from './contract-helpers.js';

/** Keys every method must refuse with `invalid-key`, as [why, key, the same problem as a list prefix]. */
const badKeys: [string, string, string][] = [
  ['a parent segment', '../x.ts', '../x/'],
  ['an absolute path', '/abs/x.ts', '/abs/'],
  ['an empty segment', 'a//b.ts', 'a//b/'],
  ['a dot segment', 'a/./b.ts', 'a/./b/'],
  ['a control character', 'a/b\u0000c.ts', 'a/b\u0001/'],
  ['a newline', 'live/seg\n.ts', 'live\n/'],
  ['too many bytes', `${'k'.repeat(1000)}.ts`, `${'k'.repeat(1000)}/`],
  ['the store reserved name', '.hlscdn/x', '.hlscdn/'],
];

export function registerListAndKeyCases({ store, deviations }: ContractContext): void {
  describe('list', () => {
    it('lists 1,100 keys under a prefix in order (past one S3 page of 1,000), honouring a limit', async () => {
      const keys = Array.from({ length: 1100 }, (_, i) => `many/seg-${String(i).padStart(5, '0')}.ts`);
      const decoys = ['man/x.ts', 'many2/x.ts', 'many.ts', 'other/many/x.ts'];
      // Written out of order so an unsorted walk of a store would show.
      const shuffled = [...keys].sort((a, b) => (a.split('').reverse().join('') < b.split('').reverse().join('') ? -1 : 1));
      await inPool([...shuffled, ...decoys], 16, (key) => store().put(key, key.endsWith('00007.ts') ? 'seven' : 'x'));

      const listed = await collect(store().list('many/'));
      expect(listed.map((meta) => meta.key)).toEqual(keys);
      expect(listed[7]).toMatchObject({ key: 'many/seg-00007.ts', size: 5, contentType: 'video/mp2t' });
      expect(listed[7]?.etag).toBe((await store().head('many/seg-00007.ts'))?.etag);
      expect(listed[7]?.lastModified).toBeInstanceOf(Date);

      expect((await collect(store().list('many/', { limit: 7 }))).map((meta) => meta.key)).toEqual(keys.slice(0, 7));
      expect(await collect(store().list('many/', { limit: 0 }))).toEqual([]);
      expect((await collect(store().list('many/seg-0001'))).map((meta) => meta.key)).toEqual(keys.slice(10, 20));
    }, 180_000);

    it('lists nothing for a prefix without objects', async () => {
      await store().put('a/x.ts', 'x');
      expect(await collect(store().list('nothing/'))).toEqual([]);
      expect(await collect(store().list('a/x.ts/'))).toEqual([]);
    });

    it('lists the whole store for the empty prefix, and only the objects', async () => {
      await store().put('b/2.ts', 'x');
      await store().put('a/1.ts', 'x');
      await store().put('c.m3u8', '#EXTM3U\n');
      expect((await collect(store().list(''))).map((meta) => meta.key)).toEqual(['a/1.ts', 'b/2.ts', 'c.m3u8']);
    });

    it('orders keys by their UTF-8 bytes, as S3 does', async () => {
      // U+FFFD sorts before U+1F600 in UTF-8 (EF.. < F0..) but after it in UTF-16 (FFFD > D83D).
      const keys = ['order/A.ts', 'order/a.ts', 'order/z.ts', 'order/é.ts', 'order/\uFFFD.ts', 'order/\u{1F600}.ts'];
      for (const key of [...keys].reverse()) await store().put(key, 'x');
      expect((await collect(store().list('order/'))).map((meta) => meta.key)).toEqual(keys);
    });

    it.skipIf(deviations.listOrderAcrossDirectories !== undefined)(
      `interleaves deeper keys with their neighbours in byte order${deviations.listOrderAcrossDirectories ? ` (skipped: ${deviations.listOrderAcrossDirectories})` : ''}`,
      async () => {
        // "-" (2D) and "." (2E) sort before "/" (2F), "0" (30) after it.
        const keys = ['order/a', 'order/b-c', 'order/b.x', 'order/b/a/z', 'order/b/c', 'order/b0'];
        for (const key of [...keys].reverse()) await store().put(key, 'x');
        expect((await collect(store().list('order/'))).map((meta) => meta.key)).toEqual(keys);
        expect((await collect(store().list('order/b'))).map((meta) => meta.key)).toEqual(keys.slice(1));
      },
    );
  });

  describe('delete', () => {
    it('removes an object from get, head and list', async () => {
      await store().put('live/old.ts', 'x');
      await store().put('live/new.ts', 'y');
      await store().delete('live/old.ts');
      expect(await store().head('live/old.ts')).toBeUndefined();
      expect(await store().get('live/old.ts')).toEqual({ kind: 'not-found' });
      expect((await collect(store().list('live/'))).map((meta) => meta.key)).toEqual(['live/new.ts']);
      expect((await expectBody(await store().get('live/new.ts'))).bytes.toString()).toBe('y');
    });

    it('treats deleting a missing key as done', async () => {
      await expect(store().delete('live/never.ts')).resolves.toBeUndefined();
      await store().put('live/twice.ts', 'x');
      await store().delete('live/twice.ts');
      await expect(store().delete('live/twice.ts')).resolves.toBeUndefined();
    });
  });

  describe('keys', () => {
    it.each(badKeys)('refuses a key with %s in every method', async (_why, key, prefix) => {
      const refused = { code: 'invalid-key' };
      await expect(store().put(key, 'x')).rejects.toBeInstanceOf(HlscdnError);
      await expect(store().put(key, 'x')).rejects.toMatchObject(refused);
      await expect(store().get(key).then(release)).rejects.toMatchObject(refused);
      await expect(store().head(key)).rejects.toMatchObject(refused);
      await expect(store().delete(key)).rejects.toMatchObject(refused);
      await expect(collect(store().list(prefix))).rejects.toMatchObject(refused);
      expect(await collect(store().list(''))).toEqual([]);
    });
  });
}
