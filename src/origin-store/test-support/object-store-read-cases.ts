/** Contract cases for byte ranges and conditional gets (see `object-store.case.ts`). */
import { describe, expect, it } from 'vitest';

import type { ByteRange } from '../object-store.js';
import { type ContractContext, expectBody, pattern, release } from './contract-helpers.js';

const key = 'vod/range.ts';
const data = pattern(1000, 7);

export function registerRangeAndConditionCases({ store }: ContractContext): void {
  describe('byte ranges', () => {
    it.each<[string, ByteRange, { start: number; end: number }]>([
      ['start-end', { start: 10, end: 19 }, { start: 10, end: 19 }],
      ['the first byte', { start: 0, end: 0 }, { start: 0, end: 0 }],
      ['the last byte', { start: 999, end: 999 }, { start: 999, end: 999 }],
      ['an open end', { start: 990 }, { start: 990, end: 999 }],
      ['a suffix', { suffix: 5 }, { start: 995, end: 999 }],
      ['a suffix longer than the object', { suffix: 5000 }, { start: 0, end: 999 }],
      ['an end past the size (clamped)', { start: 995, end: 5000 }, { start: 995, end: 999 }],
    ])('serves %s', async (_name, range, expected) => {
      await store().put(key, data);
      const got = await expectBody(await store().get(key, { range }));
      expect(got.range).toEqual(expected);
      expect(got.bytes.equals(data.subarray(expected.start, expected.end + 1))).toBe(true);
      // The meta describes the whole object, not the part.
      expect(got.meta.size).toBe(1000);
    });

    it.each<[string, ByteRange]>([
      ['a start at the size', { start: 1000 }],
      ['a start past the size', { start: 5000, end: 6000 }],
      ['a zero suffix', { suffix: 0 }],
    ])('answers range-not-satisfiable with the size for %s', async (_name, range) => {
      await store().put(key, data);
      expect(release(await store().get(key, { range }))).toEqual({ kind: 'range-not-satisfiable', size: 1000 });
    });

    it('answers range-not-satisfiable for any range of an empty object, and serves it whole', async () => {
      await store().put('vod/empty.ts', '');
      expect(release(await store().get('vod/empty.ts', { range: { start: 0 } }))).toEqual({ kind: 'range-not-satisfiable', size: 0 });
      expect(release(await store().get('vod/empty.ts', { range: { suffix: 10 } }))).toEqual({ kind: 'range-not-satisfiable', size: 0 });
      const whole = await expectBody(await store().get('vod/empty.ts'));
      expect(whole.bytes.length).toBe(0);
      expect(whole.meta.size).toBe(0);
    });

    it('refuses a malformed range as invalid input', async () => {
      await store().put(key, data);
      await expect(store().get(key, { range: { start: 20, end: 10 } })).rejects.toMatchObject({ code: 'invalid-input' });
      await expect(store().get(key, { range: { start: -1 } })).rejects.toMatchObject({ code: 'invalid-input' });
    });

    it('answers not-found for a range of a missing object', async () => {
      expect(await store().get('vod/nothing.ts', { range: { start: 0, end: 9 } })).toEqual({ kind: 'not-found' });
    });
  });

  describe('conditional get', () => {
    const put = () => store().put(key, data);

    it('answers not-modified, with the metadata, when If-None-Match names the etag', async () => {
      const meta = await put();
      expect(await store().get(key, { ifNoneMatch: [meta.etag] })).toEqual({ kind: 'not-modified', meta });
    });

    it.each<[string, (etag: string) => string[]]>([
      ['"*"', () => ['*']],
      ['a list containing the etag', (etag) => ['"not-it"', etag]],
      ['the weak form of the etag', (etag) => [`W/${etag}`]],
    ])('answers not-modified for If-None-Match %s', async (_name, tags) => {
      const meta = await put();
      expect(release(await store().get(key, { ifNoneMatch: tags(meta.etag) }))).toMatchObject({
        kind: 'not-modified',
        meta: { etag: meta.etag },
      });
    });

    it('serves the body when If-None-Match names other etags', async () => {
      await put();
      const got = await expectBody(await store().get(key, { ifNoneMatch: ['"not-it"', '"nor-this"'] }));
      expect(got.bytes.equals(data)).toBe(true);
    });

    it('compares If-Modified-Since at one-second resolution', async () => {
      const meta = await put();
      const at = (ms: number) => new Date(meta.lastModified.getTime() + ms);
      expect(release(await store().get(key, { ifModifiedSince: at(3_600_000) }))).toMatchObject({ kind: 'not-modified' });
      // The HTTP-date of Last-Modified itself (sub-second part dropped) counts as not modified.
      const lastModifiedSecond = new Date(Math.floor(meta.lastModified.getTime() / 1000) * 1000);
      expect(release(await store().get(key, { ifModifiedSince: lastModifiedSecond }))).toMatchObject({ kind: 'not-modified' });
      expect((await expectBody(await store().get(key, { ifModifiedSince: at(-3_600_000) }))).bytes.length).toBe(1000);
    });

    it('ignores If-Modified-Since when If-None-Match is given (RFC 9110 13.1.3)', async () => {
      await put();
      const got = await store().get(key, { ifNoneMatch: ['"not-it"'], ifModifiedSince: new Date(Date.now() + 3_600_000) });
      expect((await expectBody(got)).bytes.length).toBe(1000);
    });

    it('evaluates the condition before the range', async () => {
      const meta = await put();
      expect(release(await store().get(key, { ifNoneMatch: [meta.etag], range: { start: 0, end: 9 } }))).toMatchObject({
        kind: 'not-modified',
      });
      const got = await expectBody(await store().get(key, { ifNoneMatch: ['"not-it"'], range: { start: 0, end: 9 } }));
      expect(got.range).toEqual({ start: 0, end: 9 });
    });

    it('answers not-found for a missing object whatever the conditions', async () => {
      expect(await store().get('vod/nothing.ts', { ifNoneMatch: ['*'] })).toEqual({ kind: 'not-found' });
      expect(await store().get('vod/nothing.ts', { ifModifiedSince: new Date(0) })).toEqual({ kind: 'not-found' });
    });
  });
}
