/**
 * The pure viewer logic the k6 scripts (load-tests/lib/player.js) and the
 * benchmark players run: URL resolution, playlist reading, variant choice (and
 * its twin on the backup pathway), the live start point, the reload schedule,
 * which segments are new, and when a failed segment is retried; for low-latency
 * HLS, the parts, the start part, the blocking reload and which parts are new.
 */
import { describe, expect, it } from 'vitest';
import {
  backupVariant,
  blockingReloadUrl,
  bufferWaitMs,
  chooseVariant,
  durationMs,
  findPart,
  isLowLatency,
  isMasterPlaylist,
  isRebuffer,
  lastMsn,
  liveStartIndex,
  lowLatencyStart,
  newestSegmentAgeMs,
  nextBlockingRequest,
  nextReloadAt,
  originOf,
  parseAttributes,
  parseMasterPlaylist,
  parseMediaPlaylist,
  partLatencyMs,
  partsToFetch,
  playlistChanged,
  playoutAfter,
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

/**
 * A low-latency media playlist as the local stack's packager writes it: 2 s
 * segments of five 0.4 s parts, part N of the stream at `part<N>.m4s` (N = 5 x
 * MSN + index), parts listed for the complete segments from `partsFrom` on and
 * for the segment in progress (`trailing` of them), then the preload hint.
 */
function llMedia(options: {
  sequence: number;
  complete: number;
  trailing: number;
  partsFrom?: number;
  /** Date of the first segment, ms since the epoch; each segment then carries its own. */
  dated?: number;
  /** Prefix of every URI (the rewriter's absolute mode). */
  base?: string;
  serverControl?: string;
}): string {
  const base = options.base ?? '';
  const partsFrom = options.partsFrom ?? options.sequence + 1;
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:9',
    '#EXT-X-TARGETDURATION:2',
    `#EXT-X-SERVER-CONTROL:${options.serverControl ?? 'CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.2,CAN-SKIP-UNTIL=12'}`,
    '#EXT-X-PART-INF:PART-TARGET=0.4',
    `#EXT-X-MEDIA-SEQUENCE:${options.sequence}`,
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-MAP:URI="${base}init_360p.mp4"`,
  ];
  const parts = (msn: number, count: number) => {
    for (let i = 0; i < count; i++)
      lines.push(`#EXT-X-PART:DURATION=0.40000,URI="${base}part${msn * 5 + i}.m4s"${i === 0 ? ',INDEPENDENT=YES' : ''}`);
  };
  for (let i = 0; i <= options.complete; i++) {
    const msn = options.sequence + i;
    if (options.dated !== undefined) lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(options.dated + i * 2_000).toISOString()}`);
    if (i === options.complete) {
      parts(msn, options.trailing);
      lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${base}part${msn * 5 + options.trailing}.m4s"`);
    } else {
      if (msn >= partsFrom) parts(msn, 5);
      lines.push('#EXTINF:2.00000,', `${base}seg_${String(msn).padStart(5, '0')}.m4s`);
    }
  }
  lines.push('#EXT-X-RENDITION-REPORT:URI="../240p/index.m3u8",LAST-MSN=102,LAST-PART=1');
  return `${lines.join('\n')}\n`;
}

describe('low-latency HLS (RFC 8216bis)', () => {
  const at = Date.parse('2026-12-01T05:40:09.711Z');
  // The playlist of the brief: segments 100 and 101 complete, 101 listed as parts 505-509, 102 in progress (510, 511), hint 512.
  const example = parsed(llMedia({ sequence: 100, complete: 2, trailing: 2, dated: at }));
  const uris = (parts: ReadonlyArray<{ uri: string }>) => parts.map((part) => part.uri);

  it('reads EXT-X-SERVER-CONTROL, EXT-X-PART-INF, the parts and the preload hint, and the segments as before', () => {
    expect(example.serverControl).toEqual({ canBlockReload: true, partHoldBack: 1.2, canSkipUntil: 12 });
    expect(example.partTarget).toBe(0.4);
    expect(example.preloadHint).toBe('part512.m4s');
    expect(example.segments.map((s) => [s.uri, s.msn])).toEqual([
      ['seg_00100.m4s', 100],
      ['seg_00101.m4s', 101],
    ]);
    expect(example.parts?.map((p) => [p.uri, p.msn, p.index, p.independent])).toEqual([
      ['part505.m4s', 101, 0, true],
      ['part506.m4s', 101, 1, false],
      ['part507.m4s', 101, 2, false],
      ['part508.m4s', 101, 3, false],
      ['part509.m4s', 101, 4, false],
      ['part510.m4s', 102, 0, true],
      ['part511.m4s', 102, 1, false],
    ]);
    expect(example.parts?.[6]).toEqual({
      uri: 'part511.m4s',
      duration: 0.4,
      msn: 102,
      index: 1,
      independent: false,
      map: 'init_360p.mp4',
      programDateTime: at + 4_400,
    });
    expect(isLowLatency(example)).toBe(true);
  });

  it('dates parts from the last EXT-X-PROGRAM-DATE-TIME, counted forward through segments and parts', () => {
    const text = llMedia({ sequence: 100, complete: 2, trailing: 3, dated: at });
    // Only the first segment's date: the parts of 101 and 102 follow from the durations.
    const firstDateOnly = text.replace(/#EXT-X-PROGRAM-DATE-TIME:.*\n/g, (line, offset: number) =>
      offset === text.indexOf('#EXT-X-PROGRAM-DATE-TIME') ? line : '',
    );
    for (const playlist of [parsed(text), parsed(firstDateOnly)])
      expect(playlist.parts?.map((p) => (p.programDateTime ?? 0) - at)).toEqual([2_000, 2_400, 2_800, 3_200, 3_600, 4_000, 4_400, 4_800]);
    expect(parsed(llMedia({ sequence: 100, complete: 2, trailing: 3 })).parts?.[0]).not.toHaveProperty('programDateTime');
  });

  it('leaves regular playlists as they were, and is not low latency without blocking reloads or parts', () => {
    expect(Object.keys(parsed(media({ sequence: 0, count: 3 }))).sort()).toEqual([
      'endList',
      'mediaSequence',
      'segments',
      'targetDuration',
    ]);
    expect(isLowLatency(parsed(llMedia({ sequence: 100, complete: 2, trailing: 2, serverControl: 'CAN-BLOCK-RELOAD=NO' })))).toBe(false);
    expect(isLowLatency(parsed(llMedia({ sequence: 100, complete: 2, trailing: 2 }).replace(/#EXT-X-PART-INF:.*\n/, '')))).toBe(false);
    const control = parsed(llMedia({ sequence: 0, complete: 1, trailing: 0, serverControl: 'CAN-BLOCK-RELOAD=YES,HOLD-BACK=6' }));
    expect(control.serverControl).toEqual({ canBlockReload: true });
  });

  it('skips a part without a URI or a duration, and reads only TYPE=PART preload hints', () => {
    const text = llMedia({ sequence: 100, complete: 2, trailing: 2 })
      .replace('#EXT-X-PART:DURATION=0.40000,URI="part506.m4s"', '#EXT-X-PART:DURATION=0.40000')
      .replace('#EXT-X-PRELOAD-HINT:TYPE=PART', '#EXT-X-PRELOAD-HINT:TYPE=MAP');
    const playlist = parsed(text);
    expect(uris(playlist.parts ?? [])).toEqual(['part505.m4s', 'part507.m4s', 'part508.m4s', 'part509.m4s', 'part510.m4s', 'part511.m4s']);
    expect(playlist).not.toHaveProperty('preloadHint');
  });

  it('starts at the newest INDEPENDENT part at least PART-HOLD-BACK from the live edge (RFC 8216bis 6.3.3)', () => {
    // From the end: 511, 510, 509 make 1.2 s; the independent part at or before 509 is 505.
    expect(lowLatencyStart(example)?.uri).toBe('part505.m4s');
    // Four parts of 102 listed: 1.2 s back is 511, and 510 is independent.
    expect(lowLatencyStart(parsed(llMedia({ sequence: 100, complete: 2, trailing: 4 })))?.uri).toBe('part510.m4s');
    // Exactly at a segment start: 1.2 s back from part 512 (index 2) is 510, independent.
    expect(lowLatencyStart(parsed(llMedia({ sequence: 100, complete: 2, trailing: 3 })))?.uri).toBe('part510.m4s');
    // No PART-HOLD-BACK: three part targets. A longer one reaches further back.
    expect(lowLatencyStart(parsed(llMedia({ sequence: 100, complete: 2, trailing: 4, serverControl: 'CAN-BLOCK-RELOAD=YES' })))?.uri).toBe(
      'part510.m4s',
    );
    expect(
      lowLatencyStart(parsed(llMedia({ sequence: 100, complete: 2, trailing: 4, serverControl: 'CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=2' })))
        ?.uri,
    ).toBe('part505.m4s');
  });

  it('has no low-latency start without a qualifying independent part, or without parts', () => {
    expect(
      lowLatencyStart(parsed(llMedia({ sequence: 100, complete: 2, trailing: 2 }).replaceAll(',INDEPENDENT=YES', ''))),
    ).toBeUndefined();
    // Only 0.8 s of parts listed: nothing starts 1.2 s from the end.
    expect(lowLatencyStart(parsed(llMedia({ sequence: 100, complete: 2, trailing: 2, partsFrom: 102 })))).toBeUndefined();
    expect(lowLatencyStart(parsed(media({ sequence: 0, count: 4 })))).toBeUndefined();
  });

  it('asks for the part after the last one listed, part 0 of the next segment after a complete one', () => {
    expect(nextBlockingRequest(example)).toEqual({ msn: 102, part: 2 });
    // Segment 102 just completed, nothing of 103 listed yet.
    expect(nextBlockingRequest(parsed(llMedia({ sequence: 100, complete: 3, trailing: 0 })))).toEqual({ msn: 103, part: 0 });
    // All five parts of 102 listed, its EXTINF not yet: part 5, which the server reads as 103 part 0.
    expect(nextBlockingRequest(parsed(llMedia({ sequence: 100, complete: 2, trailing: 5 })))).toEqual({ msn: 102, part: 5 });
    expect(nextBlockingRequest(parsed(media({ sequence: 7, count: 3 })))).toEqual({ msn: 10, part: 0 });
  });

  it('adds _HLS_msn and _HLS_part to the reload URL, keeping its other query parameters', () => {
    const request = { msn: 102, part: 2 };
    expect(blockingReloadUrl('http://127.0.0.1:8090/live/360p/index.m3u8', request)).toBe(
      'http://127.0.0.1:8090/live/360p/index.m3u8?_HLS_msn=102&_HLS_part=2',
    );
    expect(blockingReloadUrl('http://r/live/360p/index.m3u8?hlscdn_mode=absolute&hlscdn_backup=1', request)).toBe(
      'http://r/live/360p/index.m3u8?hlscdn_mode=absolute&hlscdn_backup=1&_HLS_msn=102&_HLS_part=2',
    );
    // Earlier directives are replaced, a token with '/' and '=' stays as it was, a fragment goes.
    expect(blockingReloadUrl('http://r/i.m3u8?_HLS_msn=3&tok=a/b==&_HLS_part=1&_HLS_skip=YES#t', request)).toBe(
      'http://r/i.m3u8?tok=a/b==&_HLS_msn=102&_HLS_part=2',
    );
    expect(blockingReloadUrl('http://r/i.m3u8?', request)).toBe('http://r/i.m3u8?_HLS_msn=102&_HLS_part=2');
  });

  it('fetches the parts after the start, then only the parts after the last one fetched', () => {
    const start = lowLatencyStart(example)!;
    expect(partsToFetch(example, { msn: start.msn, part: start.index - 1 })).toEqual({
      segments: [],
      parts: example.parts,
      skipped: 0,
    });
    expect(uris(partsToFetch(example, { msn: 102, part: 0, uri: 'part510.m4s' }).parts)).toEqual(['part511.m4s']);
    expect(partsToFetch(example, { msn: 102, part: 1, uri: 'part511.m4s' })).toEqual({ segments: [], parts: [], skipped: 0 });
    // By position when the URI is not given.
    expect(uris(partsToFetch(example, { msn: 101, part: 3 }).parts)).toEqual(['part509.m4s', 'part510.m4s', 'part511.m4s']);
  });

  it('does not fetch a segment again when it completes: the viewer has its parts', () => {
    // The viewer had 510-514 (all of 102) from earlier reloads; now 102 is complete and 103 has begun.
    const later = parsed(llMedia({ sequence: 100, complete: 3, trailing: 2 }));
    const next = partsToFetch(later, { msn: 102, part: 4, uri: 'part514.m4s' });
    expect(next.segments).toEqual([]);
    expect(uris(next.parts)).toEqual(['part515.m4s', 'part516.m4s']);
    // It had 510-512: the rest of 102 as parts, then 103, and still not seg_00102.
    expect(partsToFetch(later, { msn: 102, part: 2, uri: 'part512.m4s' })).toMatchObject({ segments: [] });
    expect(uris(partsToFetch(later, { msn: 102, part: 2, uri: 'part512.m4s' }).parts)).toEqual([
      'part513.m4s',
      'part514.m4s',
      'part515.m4s',
      'part516.m4s',
    ]);
  });

  it('finds a hinted part where it turned out to be, by URI, whatever edge or token the rewriter gave it', () => {
    // Hinted after 514 as (102, 5); it became part 0 of 103.
    const later = parsed(llMedia({ sequence: 100, complete: 3, trailing: 2 }));
    const hinted = { msn: 102, part: 5, uri: 'part515.m4s' };
    expect(findPart(later, hinted)).toMatchObject({ msn: 103, index: 0 });
    expect(uris(partsToFetch(later, hinted).parts)).toEqual(['part516.m4s']);
    // Absolute mode: the same part on another edge, with a query.
    const absolute = parsed(llMedia({ sequence: 100, complete: 3, trailing: 2, base: 'http://127.0.0.1:8082/live/360p/' }));
    const fetched = { msn: 102, part: 5, uri: 'http://127.0.0.1:8081/live/360p/part515.m4s?hs_sig=x' };
    expect(uris(partsToFetch(absolute, fetched).parts)).toEqual(['http://127.0.0.1:8082/live/360p/part516.m4s']);
    // The same part in the BACKUP pathway's playlist, by position.
    expect(findPart(absolute, { msn: 103, part: 1 })?.uri).toBe('http://127.0.0.1:8082/live/360p/part516.m4s');
    expect(findPart(absolute, { msn: 104, part: 0 })).toBeUndefined();
  });

  it('fetches whole segments whose parts are no longer listed, and counts segments that left the playlist', () => {
    // Fell behind: it needs 100, whose parts are gone, then the listed parts.
    const behind = partsToFetch(example, { msn: 100, part: -1 });
    expect(uris(behind.segments)).toEqual(['seg_00100.m4s']);
    expect(behind.parts).toHaveLength(7);
    expect(behind.skipped).toBe(0);
    // It had parts of 100 up to index 3; they are no longer listed: the whole segment, as it cannot tell what it lacks.
    expect(uris(partsToFetch(example, { msn: 100, part: 3, uri: 'part503.m4s' }).segments)).toEqual(['seg_00100.m4s']);
    // It had all of 97: 98 and 99 left the playlist unfetched.
    expect(partsToFetch(example, { msn: 98, part: -1 })).toMatchObject({ skipped: 2 });
    expect(partsToFetch(example, { msn: 97, part: 4 })).toMatchObject({ skipped: 2 });
  });

  it('models playback: a part that comes after the buffer ran out by more than its own duration is a rebuffer', () => {
    const first = playoutAfter({ runsOutAt: undefined, arrivedAt: 10_000, durationSec: 0.4 });
    expect(first).toEqual({ runsOutAt: 10_400, stallMs: 0, rebuffer: false });
    // In time: the buffer grows by the part.
    expect(playoutAfter({ runsOutAt: 10_400, arrivedAt: 10_100, durationSec: 0.4 })).toEqual({
      runsOutAt: 10_800,
      stallMs: 0,
      rebuffer: false,
    });
    // 300 ms late: a stall shorter than the part, not counted; playback resumes on arrival.
    expect(playoutAfter({ runsOutAt: 10_400, arrivedAt: 10_700, durationSec: 0.4 })).toEqual({
      runsOutAt: 11_100,
      stallMs: 300,
      rebuffer: false,
    });
    expect(playoutAfter({ runsOutAt: 10_400, arrivedAt: 10_801, durationSec: 0.4 })).toEqual({
      runsOutAt: 11_201,
      stallMs: 401,
      rebuffer: true,
    });
  });

  it("measures a part's latency from its program date-time to its end", () => {
    const part = example.parts![6]!;
    expect(partLatencyMs(part, at + 4_800 + 650)).toBe(650);
    expect(partLatencyMs({ ...part, programDateTime: undefined }, at)).toBeUndefined();
  });
});
