import { describe, expect, it } from 'vitest';
import { rewritePlaylist } from '../playlist/index.js';
import type { MediaObject, MediaTarget } from './media-target.js';
import { createUriMapper, type UriMapperOptions } from './uri-mapper.js';

const master = [
  '#EXTM3U',
  '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="en",URI="audio/en.m3u8?v=2"',
  '#EXT-X-STREAM-INF:BANDWIDTH=800000,AUDIO="aud"',
  'v0/index.m3u8',
  '#EXT-X-STREAM-INF:BANDWIDTH=1600000,AUDIO="aud"',
  'http://origin:8080/live/v1/index.m3u8',
  '#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=90000,URI="v0/iframes.m3u8"',
  '#EXT-X-STREAM-INF:BANDWIDTH=200000',
  'https://elsewhere.example.com/v9/index.m3u8',
  '',
].join('\n');

const media = [
  '#EXTM3U',
  '#EXT-X-TARGETDURATION:2',
  '#EXT-X-MAP:URI="init.mp4"',
  '#EXT-X-KEY:METHOD=AES-128,URI="https://keys.example.com/k1"',
  '#EXTINF:2,',
  'seg1.m4s?tok=1',
  '#EXTINF:2,',
  '/live/v0/seg2.m4s',
  '',
].join('\n');

const edgeTarget = (object: MediaObject): MediaTarget => ({ url: `http://edge:81${object.originPath}${object.search}`, edgeId: 'edge' });

function rewrite(text: string, playlistUrl: string, options: Partial<UriMapperOptions> & { playlistPath: string }): string {
  const mapUri = createUriMapper({
    mode: 'absolute',
    originBase: new URL('http://origin:8080'),
    carry: '',
    target: edgeTarget,
    ...options,
  });
  const result = rewritePlaylist(text, { playlistUrl, mapUri });
  if (!result.ok) throw new Error(result.error.message);
  return result.text;
}

describe('createUriMapper', () => {
  it('points sub-playlists back at the rewriter, relative, keeping their query and the carried override', () => {
    const out = rewrite(master, 'http://origin:8080/live/master.m3u8', {
      playlistPath: '/live/master.m3u8',
      carry: 'hlscdn_mode=redirect',
    });
    expect(out).toContain('URI="audio/en.m3u8?v=2&hlscdn_mode=redirect"');
    expect(out).toContain('\nv0/index.m3u8?hlscdn_mode=redirect\n');
    expect(out).toContain('\nv1/index.m3u8?hlscdn_mode=redirect\n');
    expect(out).toContain('URI="v0/iframes.m3u8?hlscdn_mode=redirect"');
  });

  it('leaves URIs outside the origin absolute and untouched', () => {
    const out = rewrite(master, 'http://origin:8080/live/master.m3u8', { playlistPath: '/live/master.m3u8' });
    expect(out).toContain('\nhttps://elsewhere.example.com/v9/index.m3u8\n');
    expect(rewrite(media, 'http://origin:8080/live/v0/index.m3u8', { playlistPath: '/live/v0/index.m3u8' })).toContain(
      'URI="https://keys.example.com/k1"',
    );
  });

  it('sends media objects (segments, init segments) to their target in absolute mode, and reports each', () => {
    const seen: MediaTarget[] = [];
    const out = rewrite(media, 'http://origin:8080/live/v0/index.m3u8', {
      playlistPath: '/live/v0/index.m3u8',
      onTarget: (t) => seen.push(t),
    });
    expect(out).toContain('URI="http://edge:81/live/v0/init.mp4"');
    expect(out).toContain('\nhttp://edge:81/live/v0/seg1.m4s?tok=1\n');
    expect(out).toContain('\nhttp://edge:81/live/v0/seg2.m4s\n');
    expect(seen).toHaveLength(3);
  });

  it('points media objects at the rewriter, relative, in redirect mode', () => {
    const out = rewrite(media, 'http://origin:8080/live/v0/index.m3u8', { mode: 'redirect', playlistPath: '/live/v0/index.m3u8' });
    expect(out).toContain('URI="init.mp4"');
    expect(out).toContain('\nseg1.m4s?tok=1\n');
    expect(out).toContain('\nseg2.m4s\n');
  });

  it('maps through an origin base path and resolves against the URL after redirects', () => {
    const mapUri = createUriMapper({
      mode: 'absolute',
      originBase: new URL('http://origin:8080/store/'),
      playlistPath: '/live/v0/index.m3u8',
      carry: '',
      target: edgeTarget,
    });
    const result = rewritePlaylist(media, { playlistUrl: 'http://origin:8080/store/live/v0/index.m3u8', mapUri });
    expect(result.ok && result.text).toContain('\nhttp://edge:81/store/live/v0/seg1.m4s?tok=1\n');
    // "/live/v0/seg2.m4s" is root-relative: outside the base path, so left to the origin.
    expect(result.ok && result.text).toContain('\nhttp://origin:8080/live/v0/seg2.m4s\n');
  });
});
