import { describe, expect, it } from 'vitest';
import { lastListedPart, readPlaylistProgress } from './playlist-progress.js';
import { livePlaylist } from './test-support/live-playlist.js';

function progressOf(text: string) {
  const result = readPlaylistProgress(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('readPlaylistProgress', () => {
  it('reads what the transcoder writes: services, targets, segments with their parts, the one in progress, the hint', () => {
    const progress = progressOf(livePlaylist({ mediaSequence: 100, segments: 6, partsInProgress: 2, segmentsWithParts: 3 }));
    expect(progress).toMatchObject({
      version: 9,
      targetDurationSec: 2,
      partTargetSec: 0.4,
      canBlockReload: true,
      canSkipUntilSec: 12,
      canSkipDateRanges: false,
      mediaSequence: 100,
      endList: false,
      lastCompleteMsn: 105,
      inProgress: { msn: 106, parts: 2 },
      preloadHints: [{ type: 'PART', uri: 'part532.m4s' }],
    });
    expect(progress.segments.map((s) => [s.msn, s.parts, s.complete])).toEqual([
      [100, 0, true],
      [101, 0, true],
      [102, 0, true],
      [103, 5, true],
      [104, 5, true],
      [105, 5, true],
      [106, 2, false],
    ]);
    expect(progress.segments.at(-1)?.durationSec).toBeCloseTo(0.8);
    expect(lastListedPart(progress)).toEqual({ msn: 106, part: 1 });
  });

  it('has no segment in progress right after a segment closed, and the hint names part 0 of the next', () => {
    const progress = progressOf(livePlaylist({ segments: 6, partsInProgress: 0 }));
    expect(progress.inProgress).toBeUndefined();
    expect(progress.lastCompleteMsn).toBe(105);
    expect(lastListedPart(progress)).toEqual({ msn: 105, part: 4 });
    expect(progress.preloadHints).toEqual([{ type: 'PART', uri: 'part530.m4s' }]);
  });

  it('reads CAN-SKIP-DATERANGES, ENDLIST, a playlist without LL-HLS tags, and MSN defaults', () => {
    const ended = progressOf(
      livePlaylist({ serverControl: 'CAN-SKIP-UNTIL=12.0,CAN-SKIP-DATERANGES=YES,CAN-BLOCK-RELOAD=NO', endList: true }),
    );
    expect(ended).toMatchObject({ canBlockReload: false, canSkipDateRanges: true, canSkipUntilSec: 12, endList: true, preloadHints: [] });
    const plain = progressOf('#EXTM3U\r\n#EXT-X-TARGETDURATION:6\r\n#EXTINF:6,\r\na.ts\r\n#EXTINF:5.5\r\nb.ts\r\n');
    expect(plain).toMatchObject({
      canBlockReload: false,
      mediaSequence: 0,
      lastCompleteMsn: 1,
      partTargetSec: undefined,
      inProgress: undefined,
    });
    expect(progressOf('#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:7\n').lastCompleteMsn).toBe(6);
  });

  it('counts parts of the first segment when the playlist starts mid-stream with only parts', () => {
    const progress = progressOf(
      '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PART-INF:PART-TARGET=0.4\n#EXT-X-MEDIA-SEQUENCE:3\n#EXT-X-PART:DURATION=0.4,URI="p15.m4s"\n',
    );
    expect(progress.inProgress).toEqual({ msn: 3, parts: 1 });
    expect(progress.lastCompleteMsn).toBe(2);
  });

  it.each([
    ['', 'not-a-playlist'],
    ['#EXT-X-TARGETDURATION:2\n', 'not-a-playlist'],
    ['#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n', 'multivariant'],
    ['#EXTM3U\n#EXTINF:2,\na.ts\n', 'malformed'],
    ['#EXTM3U\n#EXT-X-TARGETDURATION:two\n', 'malformed'],
    ['#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:-1\n', 'malformed'],
    ['#EXTM3U\n#EXT-X-TARGETDURATION:2\na.ts\n', 'malformed'],
    ['#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\na.ts\n#EXTINF:2,\n', 'malformed'],
    ['#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:x,\na.ts\n', 'malformed'],
    ['#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PART:URI="p.m4s"\n', 'malformed'],
    ['#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PRELOAD-HINT:TYPE=PART\n', 'malformed'],
    ['#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-SERVER-CONTROL:CAN-SKIP-UNTIL=soon\n', 'malformed'],
    ['#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PART-INF:PART-TARGET="0.4\n', 'malformed'],
  ])('answers %j with the problem %s, without throwing', (text, code) => {
    const result = readPlaylistProgress(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });
});
