import { describe, expect, it } from 'vitest';
import { parseRangeHeader } from './range-header.js';
import { objectKeyFromRawPath } from './request-key.js';

describe('objectKeyFromRawPath', () => {
  it.each([
    ['/live/720p/seg_00001.ts', 'live/720p/seg_00001.ts'],
    ['/live/master.m3u8?_HLS_msn=4', 'live/master.m3u8'],
    ['/a%20b/c.ts', 'a b/c.ts'],
  ])('maps %s to %s', (path, key) => {
    expect(objectKeyFromRawPath(path)).toEqual({ ok: true, value: key });
  });

  it.each([
    '/../etc/passwd',
    '/live/../../x',
    '/%2e%2e/x',
    '/live/%2E%2E/x',
    '/a%2fb',
    '/a%5cb',
    '/./a',
    '/a//b',
    '/%00x',
    '/%zz',
    '/.hlscdn/meta/x.json',
    '/',
  ])('refuses %s', (path) => {
    expect(objectKeyFromRawPath(path).ok).toBe(false);
  });
});

describe('parseRangeHeader', () => {
  it.each([
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=100-', { start: 100 }],
    ['bytes=-500', { suffix: 500 }],
    ['bytes = 5 - 9', { start: 5, end: 9 }],
  ])('parses %s', (header, range) => {
    expect(parseRangeHeader(header)).toEqual(range);
  });

  it.each([undefined, '', 'bytes=0-1,5-6', 'items=0-1', 'bytes=9-5', 'bytes=-', 'bytes=a-b'])('ignores %s', (header) => {
    expect(parseRangeHeader(header)).toBeUndefined();
  });
});
