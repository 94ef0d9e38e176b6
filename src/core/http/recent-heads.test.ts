import { describe, expect, it } from 'vitest';
import { readRawRequest, type RawRequestRead } from './raw-request.js';
import { RecentHeads } from './recent-heads.js';

const head = (target: string) => `GET ${target} HTTP/1.1\r\nHost: rewriter\r\nAccept: */*\r\n\r\n`;
const read = (bytes: string) => readRawRequest(bytes) as RawRequestRead;

describe('RecentHeads', () => {
  it('keeps the request of a head that repeats, alternating with another one too, and finds it with pipelined bytes after it', () => {
    const heads = new RecentHeads();
    const video = read(head('/live/720p/index.m3u8'));
    const audio = read(head('/live/audio/index.m3u8'));
    heads.remember(head('/live/720p/index.m3u8'), read(head('/live/720p/index.m3u8')));
    heads.remember(head('/live/audio/index.m3u8'), read(head('/live/audio/index.m3u8')));
    // Seen once: only its text is kept.
    expect(heads.match(head('/live/720p/index.m3u8'))).toBeUndefined();
    heads.remember(head('/live/720p/index.m3u8'), video);
    heads.remember(head('/live/audio/index.m3u8'), audio);
    expect(heads.match(head('/live/720p/index.m3u8'))).toBe(video);
    expect(heads.match(head('/live/audio/index.m3u8') + 'GET /next')).toBe(audio);
  });

  it('does not match a head that differs in any byte, or one that has not fully arrived', () => {
    const heads = new RecentHeads();
    heads.remember(head('/live/720p/index.m3u8'), read(head('/live/720p/index.m3u8')));
    heads.remember(head('/live/720p/index.m3u8'), read(head('/live/720p/index.m3u8')));
    expect(heads.match(head('/live/720p/index.m3u8'))).toBeDefined();
    expect(heads.match(head('/live/720p/index.m3u8?cb=1'))).toBeUndefined();
    expect(heads.match(head('/live/720p/index.m3u8').replace('*/*', '*/x'))).toBeUndefined();
    expect(heads.match(head('/live/720p/index.m3u8').slice(0, -2))).toBeUndefined();
  });

  it('keeps only the most recent heads', () => {
    const heads = new RecentHeads(2);
    for (const target of ['/a.m3u8', '/a.m3u8', '/b.m3u8', '/b.m3u8', '/c.m3u8', '/c.m3u8'])
      heads.remember(head(target), read(head(target)));
    expect(heads.match(head('/a.m3u8'))).toBeUndefined();
    expect(heads.match(head('/b.m3u8'))?.request.target).toBe('/b.m3u8');
    expect(heads.match(head('/c.m3u8'))?.request.target).toBe('/c.m3u8');
  });

  it('keeps no request of heads that never repeat', () => {
    const heads = new RecentHeads(2);
    for (let i = 0; i < 10; i++) heads.remember(head(`/a.m3u8?cb=${i}`), read(head(`/a.m3u8?cb=${i}`)));
    for (let i = 0; i < 10; i++) expect(heads.match(head(`/a.m3u8?cb=${i}`))).toBeUndefined();
  });
});
