/** Tests of reading media playlists as ffmpeg 5.1 writes them. */
import { describe, it, expect } from 'vitest';
import { parseMediaPlaylist } from './media-playlist.js';

// Written by ffmpeg 5.1 (fMP4, program_date_time, after its window slid once).
const FFMPEG_FMP4 = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:1
#EXT-X-MEDIA-SEQUENCE:3
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MAP:URI="init_a.mp4"
#EXTINF:1.000000,
#EXT-X-PROGRAM-DATE-TIME:2026-11-21T09:42:33.253+0000
seg_00003.m4s
#EXTINF:0.840000,
#EXT-X-PROGRAM-DATE-TIME:2026-11-21T09:42:34.253+0000
seg_00004.m4s
`;

describe('parseMediaPlaylist', () => {
  it('reads header facts and numbered segments with their map and tags', () => {
    const result = parseMediaPlaylist(FFMPEG_FMP4);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      version: 7,
      targetDurationSec: 1,
      mediaSequence: 3,
      discontinuitySequence: 0,
      independentSegments: true,
      endList: false,
    });
    expect(result.value.segments).toEqual([
      {
        msn: 3,
        uri: 'seg_00003.m4s',
        durationSec: 1,
        extinf: '1.000000,',
        discontinuity: false,
        mapUri: 'init_a.mp4',
        tags: ['#EXT-X-PROGRAM-DATE-TIME:2026-11-21T09:42:33.253+0000'],
      },
      {
        msn: 4,
        uri: 'seg_00004.m4s',
        durationSec: 0.84,
        extinf: '0.840000,',
        discontinuity: false,
        mapUri: 'init_a.mp4',
        tags: ['#EXT-X-PROGRAM-DATE-TIME:2026-11-21T09:42:34.253+0000'],
      },
    ]);
  });

  it('reads a discontinuity, the discontinuity sequence, VOD type and ENDLIST', () => {
    const result = parseMediaPlaylist(
      '#EXTM3U\r\n#EXT-X-TARGETDURATION:2\r\n#EXT-X-DISCONTINUITY-SEQUENCE:4\r\n#EXT-X-PLAYLIST-TYPE:VOD\r\n#EXT-X-DISCONTINUITY\r\n#EXTINF:2,\r\na.ts\r\n#EXT-X-ENDLIST\r\n',
    );
    expect(result).toMatchObject({
      ok: true,
      value: {
        discontinuitySequence: 4,
        playlistType: 'VOD',
        endList: true,
        mediaSequence: 0,
        segments: [{ msn: 0, discontinuity: true, uri: 'a.ts' }],
      },
    });
  });

  it.each([
    ['text that is not a playlist', 'hello', 'not-a-playlist'],
    ['a URI without EXTINF', '#EXTM3U\nseg.ts\n', 'malformed'],
    ['a bad duration', '#EXTM3U\n#EXTINF:abc,\nseg.ts\n', 'malformed'],
    ['a bad media sequence', '#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:-1\n', 'malformed'],
    ['a map without URI', '#EXTM3U\n#EXT-X-MAP:BYTERANGE="1@0"\n', 'malformed'],
  ])('refuses %s', (_label, text, code) => {
    expect(parseMediaPlaylist(text)).toMatchObject({ ok: false, error: { code } });
  });
});
