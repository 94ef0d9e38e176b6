/**
 * The pure viewer logic the k6 scripts (load-tests/lib/player.js) and the
 * benchmark players run: URL resolution, playlist reading, variant choice (and
 * its twin on the backup pathway), the live start point, the reload schedule,
 * which segments are new, and when a failed segment is retried.
 */
import { describe, expect, it } from 'vitest';
import {
  backupVariant,
  bufferWaitMs,
  chooseVariant,
  durationMs,
  isMasterPlaylist,
  isRebuffer,
  lastMsn,
  liveStartIndex,
  newestSegmentAgeMs,
  nextReloadAt,
  originOf,
  parseAttributes,
  parseMasterPlaylist,
  parseMediaPlaylist,
  playlistChanged,
  resolveUrl,
  retryWaitMs,
  segmentByMsn,
  segmentsToFetch,
  startPathway,
  type MediaPlaylist,
  type Variant,
} from '../../load-tests/lib/hls.js';

describe('resolveUrl', () => {
  // RFC 3986 5.4.1 and 5.4.2, base "http://a/b/c/d;p?q"; fragments are dropped (never sent).
  const base = 'http://a/b/c/d;p?q';
  it.each([
    ['g:h', 'g:h'],
    ['g', 'http://a/b/c/g'],
    ['./g', 'http://a/b/c/g'],
    ['g/', 'http://a/b/c/g/'],
    ['/g', 'http://a/g'],
    ['//g', 'http://g'],
    ['?y', 'http://a/b/c/d;p?y'],
    ['g?y', 'http://a/b/c/g?y'],
    ['#s', 'http://a/b/c/d;p?q'],
    [';x', 'http://a/b/c/;x'],
    ['', 'http://a/b/c/d;p?q'],
    ['.', 'http://a/b/c/'],
    ['./', 'http://a/b/c/'],
    ['..', 'http://a/b/'],
    ['../', 'http://a/b/'],
    ['../g', 'http://a/b/g'],
    ['../..', 'http://a/'],
    ['../../', 'http://a/'],
    ['../../g', 'http://a/g'],
    ['../../../g', 'http://a/g'],
    ['../../../../g', 'http://a/g'],
    ['/./g', 'http://a/g'],
    ['/../g', 'http://a/g'],
    ['g.', 'http://a/b/c/g.'],
    ['.g', 'http://a/b/c/.g'],
    ['g..', 'http://a/b/c/g..'],
    ['..g', 'http://a/b/c/..g'],
    ['./../g', 'http://a/b/g'],
    ['./g/.', 'http://a/b/c/g/'],
    ['g/./h', 'http://a/b/c/g/h'],
    ['g/../h', 'http://a/b/c/h'],
    ['g;x=1/./y', 'http://a/b/c/g;x=1/y'],
    ['g;x=1/../y', 'http://a/b/c/y'],
    ['g?y/./x', 'http://a/b/c/g?y/./x'],
    ['g?y/../x', 'http://a/b/c/g?y/../x'],
    ['g#s/../x', 'http://a/b/c/g'],
  ])('resolves %j as RFC 3986 says', (ref, expected) => {
    expect(resolveUrl(base, ref)).toBe(expected);
  });

  it('agrees with WHATWG URL on the forms playlists use', () => {
    const playlist = 'http://edge-1.example:8081/live/v0/index.m3u8?md5=a/b&expires=9';
    for (const ref of [
      'seg1.ts',
      '../v1/seg1.ts',
      '/live/v0/seg1.ts',
      'https://cdn.example/x/seg1.ts?token=a/b/c',
      'seg1.ts?x=/y',
      '//other:82/seg.ts',
    ]) {
      expect(resolveUrl(playlist, ref)).toBe(new URL(ref, playlist).href);
    }
  });

  it('tells which server a URL goes to', () => {
    expect(originOf('http://127.0.0.1:8081/live/seg1.ts?md5=x')).toBe('http://127.0.0.1:8081');
  });
});

const master = [
  '#EXTM3U',
  '#EXT-X-VERSION:6',
  '#EXT-X-STREAM-INF:BANDWIDTH=1400000,RESOLUTION=854x480,CODECS="avc1.64001f,mp4a.40.2"',
  'v1/index.m3u8',
  '#EXT-X-STREAM-INF:BANDWIDTH=2800000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2"',
  'v0/index.m3u8',
  '#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360',
  'v2/index.m3u8',
  '',
].join('\n');

/** What the rewriter writes in absolute mode: every variant twice, PRIMARY then BACKUP (docs/rewriter.md). */
const redundantMaster = [
  '#EXTM3U',
  '#EXT-X-INDEPENDENT-SEGMENTS',
  '#EXT-X-STREAM-INF:BANDWIDTH=1047200,RESOLUTION=640x360,CODECS="avc1.4d401e,mp4a.40.2",PATHWAY-ID="PRIMARY"',
  '360p/index.m3u8?hlscdn_mode=absolute',
  '#EXT-X-STREAM-INF:BANDWIDTH=1047200,RESOLUTION=640x360,CODECS="avc1.4d401e,mp4a.40.2",PATHWAY-ID="BACKUP"',
  '360p/index.m3u8?hlscdn_mode=absolute&hlscdn_backup=1',
  '#EXT-X-STREAM-INF:BANDWIDTH=541200,RESOLUTION=426x240,CODECS="avc1.42c01e,mp4a.40.2",PATHWAY-ID="PRIMARY"',
  '240p/index.m3u8?hlscdn_mode=absolute',
  '#EXT-X-STREAM-INF:BANDWIDTH=541200,RESOLUTION=426x240,CODECS="avc1.42c01e,mp4a.40.2",PATHWAY-ID="BACKUP"',
  '240p/index.m3u8?hlscdn_mode=absolute&hlscdn_backup=1',
  '',
].join('\n');

function variantsOf(text: string): Variant[] {
  const result = parseMasterPlaylist(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function media(options: {
  sequence: number;
  count: number;
  duration?: number;
  target?: number;
  endList?: boolean;
  dated?: number;
}): string {
  const duration = options.duration ?? 2;
  const lines = ['#EXTM3U', `#EXT-X-TARGETDURATION:${options.target ?? 2}`, `#EXT-X-MEDIA-SEQUENCE:${options.sequence}`];
  for (let i = 0; i < options.count; i++) {
    if (options.dated !== undefined && i === 0) lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(options.dated).toISOString()}`);
    lines.push(`#EXTINF:${duration.toFixed(3)},`, `seg${options.sequence + i}.ts`);
  }
  if (options.endList) lines.push('#EXT-X-ENDLIST');
  return `${lines.join('\n')}\n`;
}

function parsed(text: string): MediaPlaylist {
  const result = parseMediaPlaylist(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('playlists', () => {
  it('reads quoted attributes that contain commas', () => {
    expect(parseAttributes('BANDWIDTH=1400000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=854x480')).toEqual({
      BANDWIDTH: '1400000',
      CODECS: 'avc1.64001f,mp4a.40.2',
      RESOLUTION: '854x480',
    });
  });

  it('reads the variants of a master playlist', () => {
    expect(isMasterPlaylist(master)).toBe(true);
    const result = parseMasterPlaylist(master);
    expect(result.ok && result.value.map((v) => [v.uri, v.bandwidth, v.resolution])).toEqual([
      ['v1/index.m3u8', 1_400_000, '854x480'],
      ['v0/index.m3u8', 2_800_000, '1280x720'],
      ['v2/index.m3u8', 800_000, '640x360'],
    ]);
  });

  it('refuses a media playlist as a master and the reverse, with codes', () => {
    const asMaster = parseMasterPlaylist(media({ sequence: 0, count: 1 }));
    const asMedia = parseMediaPlaylist(master);
    expect([asMaster.ok || asMaster.error.code, asMedia.ok || asMedia.error.code]).toEqual(['not-a-master', 'not-a-media-playlist']);
    const junk = parseMediaPlaylist('<html>');
    expect(junk.ok || junk.error.code).toBe('not-a-playlist');
    const noTarget = parseMediaPlaylist('#EXTM3U\n#EXTINF:2,\na.ts\n');
    expect(noTarget.ok || noTarget.error.code).toBe('no-target-duration');
  });

  it('numbers segments from the media sequence and keeps tags between EXTINF and the URI', () => {
    const text = [
      '#EXTM3U',
      '#EXT-X-TARGETDURATION:4',
      '#EXT-X-MEDIA-SEQUENCE:100',
      '#EXT-X-MAP:URI="init.mp4"',
      '#EXTINF:3.96,',
      '#EXT-X-PROGRAM-DATE-TIME:2025-01-01T12:00:00.000Z',
      'a.m4s',
      '#EXTINF:4,title',
      'b.m4s',
      '#EXT-X-ENDLIST',
    ].join('\r\n');
    expect(parsed(text)).toEqual({
      targetDuration: 4,
      mediaSequence: 100,
      endList: true,
      segments: [
        { uri: 'a.m4s', duration: 3.96, msn: 100, map: 'init.mp4', programDateTime: Date.UTC(2025, 0, 1, 12) },
        { uri: 'b.m4s', duration: 4, msn: 101, map: 'init.mp4' },
      ],
    });
  });
});

describe('player decisions', () => {
  const variants = (() => {
    const result = parseMasterPlaylist(master);
    if (!result.ok) throw new Error('bad fixture');
    return result.value;
  })();

  it('chooses the lowest, the highest or a random variant', () => {
    expect(chooseVariant(variants, 'lowest', 0.5)?.uri).toBe('v2/index.m3u8');
    expect(chooseVariant(variants, 'highest', 0.5)?.uri).toBe('v0/index.m3u8');
    expect([0, 0.34, 0.67, 0.999999].map((r) => chooseVariant(variants, 'random', r)?.uri)).toEqual([
      'v1/index.m3u8',
      'v0/index.m3u8',
      'v2/index.m3u8',
      'v2/index.m3u8',
    ]);
    expect(chooseVariant([], 'lowest', 0)).toBeUndefined();
  });

  it('picks a variant of the PRIMARY pathway of redundant streams, never one of BACKUP', () => {
    const redundant = variantsOf(redundantMaster);
    expect(redundant.map((v) => v.pathwayId)).toEqual(['PRIMARY', 'BACKUP', 'PRIMARY', 'BACKUP']);
    expect(startPathway(redundant)).toBe('PRIMARY');
    expect([0, 0.49, 0.5, 0.99].map((r) => chooseVariant(redundant, 'random', r)?.uri)).toEqual([
      '360p/index.m3u8?hlscdn_mode=absolute',
      '360p/index.m3u8?hlscdn_mode=absolute',
      '240p/index.m3u8?hlscdn_mode=absolute',
      '240p/index.m3u8?hlscdn_mode=absolute',
    ]);
    expect(chooseVariant(redundant, 'highest', 0)?.pathwayId).toBe('PRIMARY');
    expect(chooseVariant(redundant, 'lowest', 0)?.uri).toBe('240p/index.m3u8?hlscdn_mode=absolute');
  });

  it('starts on the first pathway listed when there is no PRIMARY, "." when variants name none', () => {
    const steering = variantsOf(redundantMaster.replaceAll('"PRIMARY"', '"CDN-B"').replaceAll('"BACKUP"', '"CDN-A"'));
    expect(startPathway(steering)).toBe('CDN-B');
    expect(chooseVariant(steering, 'lowest', 0)?.pathwayId).toBe('CDN-B');
    expect(startPathway(variantsOf(master))).toBe('.');
    expect(startPathway([])).toBeUndefined();
  });

  it('finds the same stream on the BACKUP pathway for retries, none with one pathway', () => {
    const redundant = variantsOf(redundantMaster);
    const chosen = chooseVariant(redundant, 'lowest', 0)!;
    expect(backupVariant(redundant, chosen)?.uri).toBe('240p/index.m3u8?hlscdn_mode=absolute&hlscdn_backup=1');
    expect(backupVariant(redundant, redundant[0]!)?.uri).toBe('360p/index.m3u8?hlscdn_mode=absolute&hlscdn_backup=1');
    // Attributes that differ on the other pathway: the one at the same position.
    const renamed = variantsOf(
      redundantMaster.replace(
        'BANDWIDTH=541200,RESOLUTION=426x240,CODECS="avc1.42c01e,mp4a.40.2",PATHWAY-ID="BACKUP"',
        'BANDWIDTH=541000,PATHWAY-ID="BACKUP"',
      ),
    );
    expect(backupVariant(renamed, renamed[2]!)?.uri).toBe('240p/index.m3u8?hlscdn_mode=absolute&hlscdn_backup=1');
    const plain = variantsOf(master);
    expect(backupVariant(plain, plain[0]!)).toBeUndefined();
  });

  it("finds a segment by media sequence number in another pathway's playlist", () => {
    const playlist = parsed(media({ sequence: 10, count: 4 }));
    expect(segmentByMsn(playlist, 12)?.uri).toBe('seg12.ts');
    expect(segmentByMsn(playlist, 9)).toBeUndefined();
    expect(segmentByMsn(playlist, 14)).toBeUndefined();
  });

  it('retries from the backup pathway at once, from the same URL once the timeout has passed', () => {
    expect(retryWaitMs({ elapsedMs: 5, timeoutMs: 1_000, sameUrl: false })).toBe(0);
    expect(retryWaitMs({ elapsedMs: 1_000, timeoutMs: 1_000, sameUrl: true })).toBe(0);
    expect(retryWaitMs({ elapsedMs: 5, timeoutMs: 1_000, sameUrl: true })).toBe(995);
  });

  it('reads timeouts written as k6 durations or milliseconds', () => {
    expect(['1s', '500ms', '1.5s', '1m30s', '2h', '750', ' 2s '].map(durationMs)).toEqual([
      1_000, 500, 1_500, 90_000, 7_200_000, 750, 2_000,
    ]);
    expect(['', 'fast', '1sx', '-1s', '1 s'].map(durationMs)).toEqual([NaN, NaN, NaN, NaN, NaN]);
  });

  it('starts a live viewer at the last segment at least 3 target durations from the end (RFC 8216 6.3.3)', () => {
    // 6 segments of 2 s, target 2: the last 3 sum to 6 s = 3 target durations, so index 3.
    expect(liveStartIndex(parsed(media({ sequence: 10, count: 6 })))).toBe(3);
    // 1.5 s segments, target 2: 4 of them make 6 s.
    expect(liveStartIndex(parsed(media({ sequence: 10, count: 6, duration: 1.5 })))).toBe(2);
    // Shorter than 3 target durations: from the start.
    expect(liveStartIndex(parsed(media({ sequence: 10, count: 2 })))).toBe(0);
    expect(liveStartIndex(parsed(media({ sequence: 10, count: 6, endList: true })))).toBe(0);
  });

  it('fetches only segments after the last one fetched, and counts ones that slid out unfetched', () => {
    const playlist = parsed(media({ sequence: 20, count: 5 }));
    expect(segmentsToFetch(playlist, 22).segments.map((s) => s.uri)).toEqual(['seg23.ts', 'seg24.ts']);
    expect(segmentsToFetch(playlist, 24)).toEqual({ segments: [], skipped: 0 });
    expect(segmentsToFetch(playlist, -1)).toMatchObject({ skipped: 0 });
    expect(segmentsToFetch(playlist, -1).segments).toHaveLength(5);
    // Last fetched 16: 17, 18, 19 left the window before the viewer got them.
    expect(segmentsToFetch(playlist, 16)).toMatchObject({ skipped: 3 });
    expect(lastMsn(playlist)).toBe(24);
  });

  it('reloads one target duration after a change, half of one when unchanged, from when the load began (RFC 8216 6.3.4)', () => {
    const before = parsed(media({ sequence: 20, count: 5 }));
    const same = parsed(media({ sequence: 20, count: 5 }));
    const advanced = parsed(media({ sequence: 21, count: 5 }));
    const ended = parsed(media({ sequence: 20, count: 5, endList: true }));
    expect([
      playlistChanged(undefined, before),
      playlistChanged(before, same),
      playlistChanged(before, advanced),
      playlistChanged(before, ended),
    ]).toEqual([true, false, true, true]);
    expect(nextReloadAt({ loadStartedAt: 10_000, changed: true, targetDuration: 6 })).toBe(16_000);
    expect(nextReloadAt({ loadStartedAt: 10_000, changed: false, targetDuration: 6 })).toBe(13_000);
  });

  it('measures the age of the newest segment from the program date-time', () => {
    const start = Date.UTC(2025, 0, 1, 12);
    // 3 segments of 2 s from 12:00:00: the newest ends at 12:00:06.
    const playlist = parsed(media({ sequence: 0, count: 3, dated: start }));
    expect(newestSegmentAgeMs(playlist, start + 7_500)).toBe(1_500);
    expect(newestSegmentAgeMs(parsed(media({ sequence: 0, count: 3 })), start)).toBeUndefined();
  });

  it('counts a segment that came later than its duration as a rebuffer', () => {
    expect([isRebuffer(1_999, 2), isRebuffer(2_000, 2), isRebuffer(2_001, 2)]).toEqual([false, false, true]);
  });

  it('keeps a VOD buffer bounded: waits only for what is beyond the maximum', () => {
    expect(bufferWaitMs({ bufferedSec: 20, playedSec: 0, maxBufferSec: 30 })).toBe(0);
    expect(bufferWaitMs({ bufferedSec: 34, playedSec: 1, maxBufferSec: 30 })).toBe(3_000);
  });
});
