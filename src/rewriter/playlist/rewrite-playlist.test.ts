/**
 * Unit tests of the rewriting engine: input validation, master/media detection, what
 * mapUri is asked, what stays untouched, and content steering.
 */

import { describe, expect, it } from 'vitest';
import { rewritePlaylist } from './rewrite-playlist.js';
import type { RewriteContext, RewriteResult, UriContext } from './rewrite-types.js';

const BASE = 'https://origin.test/live/ch1/index.m3u8';

function rewrite(text: string, extra: Partial<RewriteContext> = {}): { result: RewriteResult; calls: UriContext[] } {
  const calls: UriContext[] = [];
  const result = rewritePlaylist(text, {
    playlistUrl: BASE,
    mapUri: (uri) => {
      calls.push(uri);
      return `M(${uri.role}:${uri.resolved.href})`;
    },
    ...extra,
  });
  return { result, calls };
}

function textOf(result: RewriteResult): string {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.text;
}

describe('rewritePlaylist: input validation', () => {
  it.each([
    ['empty text', ''],
    ['a leading blank line', '\n#EXTM3U\nseg.ts\n'],
    ['another header', '#EXTM3U8\nseg.ts\n'],
    ['a BOM followed by something else', '\uFEFF#EXTINF:4,\nseg.ts\n'],
    ['a leading space', ' #EXTM3U\nseg.ts\n'],
  ])('rejects %s as malformed on line 1', (_label, text) => {
    expect(rewrite(text).result).toEqual({
      ok: false,
      error: { code: 'malformed', message: 'playlist does not start with #EXTM3U', line: 1 },
    });
  });

  it('accepts #EXTM3U after a BOM and with trailing attributes', () => {
    expect(rewrite('\uFEFF#EXTM3U\nseg.ts\n').result.ok).toBe(true);
    expect(rewrite('#EXTM3U x-tvg-url="a"\nseg.ts\n').result.ok).toBe(true);
  });

  it('rejects more UTF-8 bytes than maxBytes, counting multi-byte characters as bytes', () => {
    const text = '#EXTM3U\n#EXTINF:4,é\nseg.ts\n'; // 27 UTF-16 units, 28 UTF-8 bytes
    expect(rewrite(text, { limits: { maxBytes: 28 } }).result.ok).toBe(true);
    const over = rewrite(text, { limits: { maxBytes: 27 } }).result;
    expect(over.ok === false && over.error.code).toBe('oversized');
  });

  it('rejects a playlist over the 1 MiB default', () => {
    const text = `#EXTM3U\n${'#EXTINF:4,\nseg.ts\n'.repeat(70_000)}`;
    const result = rewrite(text).result;
    expect(result.ok === false && result.error).toEqual({ code: 'oversized', message: 'playlist is larger than 1048576 bytes' });
  });

  it('rejects more lines than maxLines; a final newline is no extra line', () => {
    const text = '#EXTM3U\n#EXTINF:4,\nseg.ts\n';
    expect(rewrite(text, { limits: { maxLines: 3 } }).result.ok).toBe(true);
    const over = rewrite(text, { limits: { maxLines: 2 } }).result;
    expect(over.ok === false && over.error).toEqual({ code: 'oversized', message: 'playlist has more than 2 lines' });
  });

  it('rejects more than the default 100000 lines', () => {
    const result = rewrite(`#EXTM3U\n${'\n'.repeat(100_000)}`).result;
    expect(result.ok === false && result.error.code).toBe('oversized');
  });

  it('reports an unparseable URI line as malformed with its line number', () => {
    const { result, calls } = rewrite('#EXTM3U\n#EXTINF:4,\nok.ts\n#EXTINF:4,\nhttps://exa mple.test/bad.ts\n');
    expect(result).toEqual({
      ok: false,
      error: { code: 'malformed', message: 'unparseable URI "https://exa mple.test/bad.ts"', line: 5 },
    });
    expect(calls).toHaveLength(1);
  });

  it('reports an unparseable attribute URI as malformed with its line number', () => {
    const result = rewrite('#EXTM3U\n#EXT-X-MAP:URI="http://[::1/init.mp4"\n').result;
    expect(result.ok === false && result.error).toMatchObject({ code: 'malformed', line: 2 });
  });

  it('reports an unterminated quote in a URI-bearing tag as malformed', () => {
    const result = rewrite('#EXTM3U\n#EXTINF:4,\na.ts\n#EXT-X-KEY:METHOD=AES-128,URI="k.key\n').result;
    expect(result.ok === false && result.error).toMatchObject({ code: 'malformed', line: 4 });
  });

  it('refuses an unquoted URI attribute instead of leaving it pointing at the origin', () => {
    const result = rewrite('#EXTM3U\n#EXT-X-MAP:URI=init.mp4\n').result;
    expect(result.ok === false && result.error).toEqual({
      code: 'malformed',
      message: 'EXT-X-MAP URI is not a quoted string',
      line: 2,
    });
  });

  it('ignores broken attribute lists in tags that carry no URI', () => {
    const text = '#EXTM3U\n#EXT-X-VENDOR:A="unterminated\n#EXTINF:4,"odd\nseg.ts\n';
    expect(rewrite(text).result.ok).toBe(true);
  });

  it('rejects a relative playlistUrl', () => {
    const result = rewrite('#EXTM3U\nseg.ts\n', { playlistUrl: '/live/index.m3u8' }).result;
    expect(result.ok === false && result.error.code).toBe('malformed');
  });
});

describe('rewritePlaylist: master or media, from the content', () => {
  it('calls a playlist with EXT-X-MEDIA-SEQUENCE but no variant tags media', () => {
    const { result, calls } = rewrite('#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:4\n#EXTINF:4,\na.m3u8\n', {
      playlistUrl: 'https://origin.test/master.m3u8',
    });
    expect(result.ok && result.kind).toBe('media');
    expect(calls.map((call) => call.role)).toEqual(['segment']);
  });

  it('calls a playlist with only EXT-X-MEDIA a master', () => {
    const { result } = rewrite('#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="x",URI="a/index.m3u8"\n');
    expect(result.ok && result.kind).toBe('master');
  });

  it('gives master URI lines the variant role and I-frame URIs the iframe-playlist role', () => {
    const { calls } = rewrite('#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nlow.m3u8\n#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI="i.m3u8"\n');
    expect(calls.map((call) => [call.role, call.original, call.line])).toEqual([
      ['variant', 'low.m3u8', 3],
      ['iframe-playlist', 'i.m3u8', 4],
    ]);
  });
});

describe('rewritePlaylist: what mapUri sees', () => {
  it('hands every URI with its role, original text, resolved URL and line', () => {
    const text = [
      '#EXTM3U',
      '#EXT-X-MAP:URI="init.mp4"',
      '#EXT-X-KEY:METHOD=AES-128,URI="../keys/k1?id=a/b"',
      '#EXT-X-PART:DURATION=1,URI="/p/part1.m4s"',
      '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part2.m4s"',
      '#EXT-X-DATERANGE:ID="i",START-DATE="2024-01-01T00:00:00Z",X-ASSET-URI="ad.m3u8",X-ASSET-LIST="list.json"',
      '#EXTINF:4,',
      'https://other.test/seg.ts?q=1',
      '',
    ].join('\n');
    const { result, calls } = rewrite(text);
    expect(calls.map((call) => [call.role, call.original, call.resolved.href, call.line])).toEqual([
      ['init', 'init.mp4', 'https://origin.test/live/ch1/init.mp4', 2],
      ['key', '../keys/k1?id=a/b', 'https://origin.test/live/keys/k1?id=a/b', 3],
      ['part', '/p/part1.m4s', 'https://origin.test/p/part1.m4s', 4],
      ['preload-hint', 'part2.m4s', 'https://origin.test/live/ch1/part2.m4s', 5],
      ['asset', 'ad.m3u8', 'https://origin.test/live/ch1/ad.m3u8', 6],
      ['asset', 'list.json', 'https://origin.test/live/ch1/list.json', 6],
      ['segment', 'https://other.test/seg.ts?q=1', 'https://other.test/seg.ts?q=1', 8],
    ]);
    expect(result.ok && result.uriCount).toBe(7);
  });

  it('hands master URIs with master roles', () => {
    const text = [
      '#EXTM3U',
      '#EXT-X-SESSION-KEY:METHOD=AES-128,URI="k.key"',
      '#EXT-X-SESSION-DATA:DATA-ID="d",URI="d.json"',
      '#EXT-X-CONTENT-STEERING:SERVER-URI="steer.json"',
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="en",URI="audio.m3u8"',
      '#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO="a"',
      'video.m3u8',
    ].join('\n');
    expect(rewrite(text).calls.map((call) => call.role)).toEqual([
      'session-key',
      'session-data',
      'steering-server',
      'rendition',
      'variant',
    ]);
  });

  it('leaves rendition reports, skd:// and data: URIs exactly as written, without calling mapUri', () => {
    const text = [
      '#EXTM3U',
      '#EXT-X-KEY:METHOD=SAMPLE-AES,URI="skd://asset 7",KEYFORMAT="com.apple.streamingkeydelivery"',
      '#EXT-X-KEY:METHOD=SAMPLE-AES,URI="data:text/plain;base64,AAAA",KEYFORMAT="urn:uuid:x"',
      '#EXT-X-KEY:METHOD=SAMPLE-AES,URI="SKD://UPPER"',
      '#EXTINF:4,',
      'seg.ts',
      '#EXT-X-RENDITION-REPORT:URI="../low/index.m3u8",LAST-MSN=4',
      '#EXT-X-SKIP:SKIPPED-SEGMENTS=3',
      '',
    ].join('\n');
    const { result, calls } = rewrite(text);
    expect(calls.map((call) => call.original)).toEqual(['seg.ts']);
    expect(textOf(result)).toBe(text.replace('\nseg.ts\n', '\nM(segment:https://origin.test/live/ch1/seg.ts)\n'));
    expect(result.ok && result.uriCount).toBe(1);
  });

  it('leaves URIs alone in tags it does not know, even in an attribute called URI', () => {
    const text = '#EXTM3U\n#EXT-X-VENDOR:URI="x.ts"\n#EXT-X-MAPPING:URI="y.ts"\n';
    const { result, calls } = rewrite(text);
    expect(textOf(result)).toBe(text);
    expect(calls).toEqual([]);
  });

  it('rewrites every URI line after EXTINF whatever comes between', () => {
    const text =
      '#EXTM3U\r\n#EXTINF:4,\r\n#EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:00Z\r\n#EXT-X-BYTERANGE:10@0\r\n# note\r\n\r\nseg.ts\r\n';
    expect(textOf(rewrite(text).result)).toBe(text.replace('\r\nseg.ts\r\n', '\r\nM(segment:https://origin.test/live/ch1/seg.ts)\r\n'));
  });

  it('keeps white space around a URI line and a lone CR at the end', () => {
    const text = '#EXTM3U\n#EXTINF:4,\n\t a.ts  \r';
    expect(textOf(rewrite(text).result)).toBe('#EXTM3U\n#EXTINF:4,\n\t M(segment:https://origin.test/live/ch1/a.ts)  \r');
  });

  it('replaces only the value of a URI attribute, every other byte stays', () => {
    const text = '#EXTM3U\n#EXT-X-KEY:IV=0x01, URI="k.key" ,METHOD=AES-128,\n';
    expect(textOf(rewrite(text).result)).toBe(
      '#EXTM3U\n#EXT-X-KEY:IV=0x01, URI="M(key:https://origin.test/live/ch1/k.key)" ,METHOD=AES-128,\n',
    );
  });
});

describe('rewritePlaylist: content steering', () => {
  const steering = { serverUri: 'https://rw.test/steer.json?s=1', pathwayId: 'edge-1' };

  it('adds the steering tag after #EXTM3U with the same line ending, and PATHWAY-ID where missing', () => {
    const text = [
      '#EXTM3U',
      '#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS="a,b"',
      'a.m3u8',
      '#EXT-X-STREAM-INF:PATHWAY-ID="keep",BANDWIDTH=2',
      'b.m3u8',
      '#EXT-X-STREAM-INF:',
      'c.m3u8',
      '#EXT-X-STREAM-INF',
      'd.m3u8',
      '#EXT-X-STREAM-INF:BANDWIDTH=3,  ',
      'e.m3u8',
      '',
    ].join('\r\n');
    const out = textOf(rewritePlaylist(text, { playlistUrl: BASE, mapUri: () => 'v.m3u8', steering }));
    expect(out).toBe(
      [
        '#EXTM3U',
        '#EXT-X-CONTENT-STEERING:SERVER-URI="https://rw.test/steer.json?s=1",PATHWAY-ID="edge-1"',
        '#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS="a,b",PATHWAY-ID="edge-1"',
        'v.m3u8',
        '#EXT-X-STREAM-INF:PATHWAY-ID="keep",BANDWIDTH=2',
        'v.m3u8',
        '#EXT-X-STREAM-INF:PATHWAY-ID="edge-1"',
        'v.m3u8',
        '#EXT-X-STREAM-INF:PATHWAY-ID="edge-1"',
        'v.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=3,PATHWAY-ID="edge-1"  ',
        'v.m3u8',
        '',
      ].join('\r\n'),
    );
  });

  it('replaces an existing steering tag instead of adding a second one, without calling mapUri for it', () => {
    const text = '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n#EXT-X-CONTENT-STEERING:SERVER-URI="old.json"\n';
    const { result, calls } = rewrite(text, { steering });
    expect(textOf(result).split('\n')[3]).toBe('#EXT-X-CONTENT-STEERING:SERVER-URI="https://rw.test/steer.json?s=1",PATHWAY-ID="edge-1"');
    expect(textOf(result).match(/EXT-X-CONTENT-STEERING/g)).toHaveLength(1);
    expect(calls.map((call) => call.role)).toEqual(['variant']);
  });

  it('is ignored for media playlists', () => {
    const text = '#EXTM3U\n#EXTINF:4,\nseg.ts\n';
    expect(textOf(rewrite(text, { steering }).result)).toBe('#EXTM3U\n#EXTINF:4,\nM(segment:https://origin.test/live/ch1/seg.ts)\n');
  });

  it('rejects a pathway id outside [a-zA-Z0-9._-] and a server URI that would break the quotes', () => {
    const master = '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n';
    const badId = rewrite(master, { steering: { serverUri: 'https://rw.test/s', pathwayId: 'a b' } }).result;
    expect(badId.ok === false && badId.error.code).toBe('malformed');
    const badUri = rewrite(master, { steering: { serverUri: 'https://rw.test/"s', pathwayId: 'a' } }).result;
    expect(badUri.ok === false && badUri.error.code).toBe('malformed');
  });
});
