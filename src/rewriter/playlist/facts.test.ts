/**
 * Tests of readPlaylistFacts on the corpus and on edge cases (delta updates, bad numbers).
 */

import { describe, expect, it } from 'vitest';
import { readPlaylistFacts, type PlaylistFacts } from './facts.js';
import { readCorpusFile } from './test-support/corpus-cases.js';

function factsOf(text: string): PlaylistFacts {
  const result = readPlaylistFacts(text);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('readPlaylistFacts on the corpus', () => {
  it('reads a live ffmpeg TS playlist', () => {
    expect(factsOf(readCorpusFile('ffmpeg-ts-live.m3u8'))).toEqual({
      kind: 'media',
      targetDuration: 4,
      mediaSequence: 1187,
      endList: false,
      segmentCount: 5,
      totalDuration: 20,
      lastMsn: 1191,
    });
  });

  it('reads a VOD fMP4 playlist with ENDLIST', () => {
    expect(factsOf(readCorpusFile('ffmpeg-fmp4-vod.m3u8'))).toEqual({
      kind: 'media',
      targetDuration: 6,
      mediaSequence: 0,
      endList: true,
      playlistType: 'VOD',
      segmentCount: 4,
      totalDuration: 20.353667,
      lastMsn: 3,
    });
  });

  it('reads LL-HLS server control and part target; parts are not segments', () => {
    const facts = factsOf(readCorpusFile('llhls-media.m3u8'));
    expect(facts).toMatchObject({
      targetDuration: 4,
      mediaSequence: 3120,
      partTargetDuration: 0.334,
      serverControl: { canBlockReload: true, canSkipUntil: 24, partHoldBack: 1.002, holdBack: 12 },
      segmentCount: 3,
      lastMsn: 3122,
      endList: false,
    });
  });

  it('counts skipped segments of a delta update into lastMsn but not into segmentCount (rfc8216bis 4.4.5.2)', () => {
    const facts = factsOf(readCorpusFile('llhls-delta-skip.m3u8'));
    expect(facts).toMatchObject({ mediaSequence: 3100, segmentCount: 2, lastMsn: 3121, totalDuration: 8 });
    expect(facts.serverControl).toEqual({ canBlockReload: true, canSkipUntil: 24, partHoldBack: 1.002 });
  });

  it('reads an EVENT playlist with CRLF and no final newline', () => {
    expect(factsOf(readCorpusFile('crlf-mixed-no-final-newline.m3u8'))).toMatchObject({
      playlistType: 'EVENT',
      targetDuration: 8,
      segmentCount: 3,
      totalDuration: 23.5,
      lastMsn: 2,
    });
  });

  it('counts segments whose EXTINF has tags, comments and blank lines before the URI', () => {
    expect(factsOf(readCorpusFile('discontinuity-pdt.m3u8'))).toMatchObject({
      segmentCount: 5,
      totalDuration: 29.005,
      lastMsn: 4414,
    });
  });

  it('counts byte-range segments of one file separately', () => {
    expect(factsOf(readCorpusFile('iframe-media-byterange.m3u8'))).toMatchObject({ segmentCount: 4, totalDuration: 7.007 });
  });

  it('reads a master as a master with no segments', () => {
    expect(factsOf(readCorpusFile('master-alternate-renditions.m3u8'))).toEqual({
      kind: 'master',
      endList: false,
      segmentCount: 0,
      totalDuration: 0,
    });
  });
});

describe('readPlaylistFacts edge cases', () => {
  it('leaves mediaSequence absent without the tag but numbers segments from 0', () => {
    const facts = factsOf('#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\na.ts\n#EXTINF:2,\nb.ts\n');
    expect(facts.mediaSequence).toBeUndefined();
    expect(facts.lastMsn).toBe(1);
  });

  it('has no lastMsn for an empty media playlist', () => {
    expect(factsOf('#EXTM3U\n#EXT-X-TARGETDURATION:2\n').lastMsn).toBeUndefined();
  });

  it('reports CAN-BLOCK-RELOAD absent as false', () => {
    expect(factsOf('#EXTM3U\n#EXT-X-SERVER-CONTROL:HOLD-BACK=9\n').serverControl).toEqual({ canBlockReload: false, holdBack: 9 });
  });

  it.each([
    ['#EXTM3U\n#EXT-X-TARGETDURATION:ten\n', 2],
    ['#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:-1\n', 2],
    ['#EXTM3U\n#EXTINF:4,\na.ts\n#EXTINF:abc,\nb.ts\n', 4],
    ['#EXTM3U\n#EXT-X-PLAYLIST-TYPE:LIVE\n', 2],
    ['#EXTM3U\n#EXT-X-SERVER-CONTROL:CAN-SKIP-UNTIL=soon\n', 2],
    ['#EXTM3U\n#EXT-X-PART-INF:PART-TARGET="unterminated\n', 2],
  ])('returns malformed with the line for %j', (text, line) => {
    const result = readPlaylistFacts(text);
    expect(result.ok === false && result.error).toMatchObject({ code: 'malformed', line });
  });

  it('applies the same header check and limits as the rewrite', () => {
    const noHeader = readPlaylistFacts('#EXTINF:4,\na.ts\n');
    expect(noHeader.ok === false && noHeader.error.code).toBe('malformed');
    const oversized = readPlaylistFacts('#EXTM3U\n#EXTINF:4,\na.ts\n', { limits: { maxLines: 2 } });
    expect(oversized.ok === false && oversized.error.code).toBe('oversized');
  });
});
