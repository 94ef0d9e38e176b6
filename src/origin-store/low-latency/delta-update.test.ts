import { Parser, type ParsedManifest } from 'm3u8-parser';
import { describe, expect, it } from 'vitest';
import { playlistFacts } from '../../../test/support/playlist-oracle.js';
import { deltaUpdate } from './delta-update.js';
import { livePlaylist } from './test-support/live-playlist.js';

/** m3u8-parser's reading of a delta update: the facts, EXT-X-SKIP, and its warnings. */
function parsed(text: string) {
  const parser = new Parser();
  const warnings: string[] = [];
  (parser as unknown as { on(event: 'warn', listener: (warning: { message: string }) => void): void }).on('warn', (w) =>
    warnings.push(w.message),
  );
  parser.push(text);
  parser.end();
  const manifest = parser.manifest as ParsedManifest & { skip?: { skippedSegments?: number }; version?: number };
  return { manifest, warnings, facts: playlistFacts(text) };
}

const header = (version = '#EXT-X-VERSION:9', serverControl = 'CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.2,CAN-SKIP-UNTIL=12') =>
  ['#EXTM3U', version, '#EXT-X-TARGETDURATION:2', `#EXT-X-SERVER-CONTROL:${serverControl}`, '#EXT-X-PART-INF:PART-TARGET=0.4'].filter(
    (line) => line !== '',
  );

function segments(from: number, to: number): string[] {
  const lines: string[] = [];
  for (let msn = from; msn <= to; msn += 1) lines.push('#EXTINF:2.00000,', `seg_${msn}.m4s`);
  return lines;
}

describe('deltaUpdate (RFC 8216bis 6.2.5.1)', () => {
  it('replaces the segments further than CAN-SKIP-UNTIL from the end by EXT-X-SKIP and keeps the rest byte for byte', () => {
    // 100..109 complete (20 s): 100..102 end more than 12 s before the end of 109; 103 ends exactly 12 s before it.
    const full = livePlaylist({ segments: 10, partsInProgress: 2 });
    const delta = deltaUpdate(full, 'YES');
    expect(delta.skippedSegments).toBe(3);
    const lines = delta.text.split('\n');
    expect(lines.slice(0, 8)).toEqual([
      '#EXTM3U',
      '#EXT-X-VERSION:9',
      '#EXT-X-TARGETDURATION:2',
      '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.2,CAN-SKIP-UNTIL=12',
      '#EXT-X-PART-INF:PART-TARGET=0.4',
      '#EXT-X-MEDIA-SEQUENCE:100',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-SKIP:SKIPPED-SEGMENTS=3',
    ]);
    // The init section still applies to the kept segments.
    expect(lines[8]).toBe('#EXT-X-MAP:URI="init_360p.mp4"');
    const keptFrom = full.indexOf('#EXT-X-PROGRAM-DATE-TIME:2026-12-01T05:40:06.000Z');
    expect(delta.text.endsWith(full.slice(keptFrom))).toBe(true);
    expect(delta.text).not.toContain('seg_00102.m4s');

    const { manifest, warnings, facts } = parsed(delta.text);
    expect(warnings).toEqual([]);
    expect(manifest.skip?.skippedSegments).toBe(3);
    expect(facts.mediaSequence).toBe(100);
    expect(facts.segments.map((s) => s.name)).toEqual([
      'seg_00103.m4s',
      'seg_00104.m4s',
      'seg_00105.m4s',
      'seg_00106.m4s',
      'seg_00107.m4s',
      'seg_00108.m4s',
      'seg_00109.m4s',
    ]);
    expect(manifest.segments[0]?.map?.uri).toBe('init_360p.mp4');
    expect(facts.segments.slice(-3).map((s) => s.parts)).toEqual([5, 5, 5]);
    expect(manifest.preloadSegment?.parts).toHaveLength(2);
  });

  it('measures from the end of the newest complete segment, and skips only segments entirely beyond the boundary', () => {
    // 100..106 (14 s): 100 ends exactly 12 s before the end, not further: kept, parts in progress or not.
    expect(deltaUpdate(livePlaylist({ segments: 7, partsInProgress: 0 }), 'YES').skippedSegments).toBe(0);
    expect(deltaUpdate(livePlaylist({ segments: 7, partsInProgress: 4 }), 'YES').skippedSegments).toBe(0);
    // One segment more and 100 is beyond the boundary.
    expect(deltaUpdate(livePlaylist({ segments: 8, partsInProgress: 0 }), 'YES').skippedSegments).toBe(1);
  });

  it('answers the full playlist without CAN-SKIP-UNTIL or with EXT-X-ENDLIST (6.2.5.1), or with nothing to skip', () => {
    const noSkip = livePlaylist({ segments: 12, serverControl: 'CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.2' });
    expect(deltaUpdate(noSkip, 'YES')).toEqual({ text: noSkip, skippedSegments: 0 });
    const ended = livePlaylist({ segments: 12, endList: true });
    expect(deltaUpdate(ended, 'YES')).toEqual({ text: ended, skippedSegments: 0 });
    const short = livePlaylist({ segments: 3 });
    expect(deltaUpdate(short, 'v2')).toEqual({ text: short, skippedSegments: 0 });
    expect(deltaUpdate('not a playlist', 'YES')).toEqual({ text: 'not a playlist', skippedSegments: 0 });
  });

  it('raises EXT-X-VERSION to 9 for EXT-X-SKIP (section 8), or adds it', () => {
    const v6 = [...header('#EXT-X-VERSION:6'), ...segments(1, 10), ''].join('\n');
    expect(deltaUpdate(v6, 'YES').text.split('\n').slice(0, 2)).toEqual(['#EXTM3U', '#EXT-X-VERSION:9']);
    const none = [...header(''), ...segments(1, 10), ''].join('\n');
    const delta = deltaUpdate(none, 'YES').text;
    expect(delta.split('\n').slice(0, 2)).toEqual(['#EXTM3U', '#EXT-X-VERSION:9']);
    expect(delta.match(/EXT-X-VERSION/g)).toHaveLength(1);
    const v11 = [...header('#EXT-X-VERSION:11'), ...segments(1, 10), ''].join('\n');
    expect(deltaUpdate(v11, 'YES').text).toContain('#EXT-X-VERSION:11\n');
  });

  it('keeps the discontinuity sequence, the key and map in force and date ranges; drops the skipped segments own tags', () => {
    const text = [
      ...header(),
      '#EXT-X-MEDIA-SEQUENCE:1',
      '#EXT-X-DISCONTINUITY-SEQUENCE:4',
      '#EXT-X-KEY:METHOD=AES-128,URI="k1.key"',
      '#EXT-X-MAP:URI="init_a.mp4"',
      '#EXT-X-PROGRAM-DATE-TIME:2026-12-01T05:40:00.000Z',
      '#EXT-X-DATERANGE:ID="ad1",START-DATE="2026-12-01T05:40:00.000Z",DURATION=4',
      ...segments(1, 2),
      '#EXT-X-DISCONTINUITY',
      '#EXT-X-MAP:URI="init_b.mp4"',
      '#EXT-X-KEY:METHOD=AES-128,URI="k2.key"',
      '#EXT-X-CUE-OUT:DURATION=4',
      '# a comment',
      ...segments(3, 4),
      ...segments(5, 12),
      '',
    ].join('\n');
    const delta = deltaUpdate(text, 'YES');
    // 24 s: segments ending before 12 s go (1..5); 6 ends exactly at the boundary and stays.
    expect(delta.skippedSegments).toBe(5);
    const lines = delta.text.split('\n');
    const skipAt = lines.indexOf('#EXT-X-SKIP:SKIPPED-SEGMENTS=5');
    expect(lines.slice(skipAt - 1, skipAt + 5)).toEqual([
      '#EXT-X-DISCONTINUITY-SEQUENCE:4',
      '#EXT-X-SKIP:SKIPPED-SEGMENTS=5',
      '#EXT-X-DATERANGE:ID="ad1",START-DATE="2026-12-01T05:40:00.000Z",DURATION=4',
      '#EXT-X-KEY:METHOD=AES-128,URI="k2.key"',
      '#EXT-X-MAP:URI="init_b.mp4"',
      '#EXTINF:2.00000,',
    ]);
    expect(lines[skipAt + 5]).toBe('seg_6.m4s');
    expect(lines).not.toContain('#EXT-X-DISCONTINUITY');
    for (const gone of ['#EXT-X-CUE-OUT', '# a comment', 'k1.key', 'init_a.mp4', 'PROGRAM-DATE-TIME'])
      expect(delta.text).not.toContain(gone);
    const { manifest, facts } = parsed(delta.text);
    expect(facts.discontinuitySequence).toBe(4);
    expect(manifest.segments[0]?.key?.uri).toBe('k2.key');
    expect(manifest.segments[0]?.map?.uri).toBe('init_b.mp4');
  });

  it('does not repeat the map when the first kept segment has its own', () => {
    const text = [...header(), '#EXT-X-MAP:URI="a.mp4"', ...segments(1, 5), '#EXT-X-MAP:URI="b.mp4"', ...segments(6, 12), ''].join('\n');
    const delta = deltaUpdate(text, 'YES');
    expect(delta.skippedSegments).toBe(5);
    expect(delta.text).not.toContain('a.mp4');
    expect(delta.text.match(/EXT-X-MAP/g)).toHaveLength(1);
  });

  it('skips old date ranges too for _HLS_skip=v2 when the playlist offers CAN-SKIP-DATERANGES (version 10)', () => {
    const offering = 'CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.2,CAN-SKIP-UNTIL=12,CAN-SKIP-DATERANGES=YES';
    const text = [
      ...header('#EXT-X-VERSION:9', offering),
      '#EXT-X-PROGRAM-DATE-TIME:2026-12-01T05:40:00.000Z',
      '#EXT-X-DATERANGE:ID="old",START-DATE="2026-12-01T05:40:00.000Z",DURATION=2',
      ...segments(1, 10),
      '#EXT-X-DATERANGE:ID="new",START-DATE="2026-12-01T05:40:20.000Z",DURATION=2',
      ...segments(11, 12),
      '',
    ].join('\n');
    const v2 = deltaUpdate(text, 'v2');
    expect(v2.text).toContain('#EXT-X-VERSION:10\n');
    expect(v2.text).toContain('#EXT-X-SKIP:SKIPPED-SEGMENTS=5,RECENTLY-REMOVED-DATERANGES=""\n');
    expect(v2.text).not.toContain('ID="old"');
    expect(v2.text).toContain('ID="new"');
    expect(parsed(v2.text).manifest.skip?.skippedSegments).toBe(5);
    // YES keeps every date range (they are not Media Segment tags, 4.4.5.2).
    const yes = deltaUpdate(text, 'YES');
    expect(yes.text).toContain('ID="old"');
    expect(yes.text).toContain('#EXT-X-VERSION:9\n');
    // v2 on a playlist that does not offer it is answered as YES.
    const notOffered = text.replace(',CAN-SKIP-DATERANGES=YES', '');
    expect(deltaUpdate(notOffered, 'v2').text).toContain('ID="old"');
  });

  it('keeps CRLF line ends', () => {
    const text = [...header(), ...segments(1, 10), ''].join('\r\n');
    const delta = deltaUpdate(text, 'YES');
    expect(delta.skippedSegments).toBe(3);
    expect(delta.text.split('\r\n')).toContain('#EXT-X-SKIP:SKIPPED-SEGMENTS=3');
    expect(delta.text.replace(/\r\n/g, '')).not.toContain('\n');
  });
});
