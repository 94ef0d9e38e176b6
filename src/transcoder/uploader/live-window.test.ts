/**
 * Tests of the live window: sliding, restarts with discontinuities, the discontinuity
 * sequence when a discontinuity slides out, fillers for a lagging variant, restore.
 */
import { describe, it, expect } from 'vitest';
import { LiveWindow } from './live-window.js';
import { parseMediaPlaylist } from './media-playlist.js';
import type { MediaPlaylist } from './media-playlist.js';

/** A playlist as ffmpeg writes it: msn from..to, optional discont_start on the first. */
function ffmpegPlaylist(from: number, to: number, options: { discontinuity?: boolean; map?: string } = {}): MediaPlaylist {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:6', '#EXT-X-TARGETDURATION:2', `#EXT-X-MEDIA-SEQUENCE:${from}`, '#EXT-X-INDEPENDENT-SEGMENTS'];
  if (options.map) lines.push(`#EXT-X-MAP:URI="${options.map}"`);
  for (let msn = from; msn <= to; msn += 1) {
    if (msn === from && options.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    lines.push('#EXTINF:2.000000,', `seg_${String(msn).padStart(5, '0')}.ts`);
  }
  const parsed = parseMediaPlaylist(`${lines.join('\n')}\n`);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

const uris = (window: LiveWindow) => window.entries().map((e) => e.uri);

describe('LiveWindow', () => {
  it('renders what ffmpeg wrote when nothing restarted', () => {
    const window = new LiveWindow({ capacity: 3, targetDurationSec: 2 });
    window.merge(ffmpegPlaylist(0, 1));
    expect(window.render()).toBe(
      '#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-INDEPENDENT-SEGMENTS\n' +
        '#EXTINF:2.000000,\nseg_00000.ts\n#EXTINF:2.000000,\nseg_00001.ts\n',
    );
  });

  it('adds only new segments and evicts the oldest beyond capacity', () => {
    const window = new LiveWindow({ capacity: 3, targetDurationSec: 2 });
    expect(window.merge(ffmpegPlaylist(0, 2)).added.map((s) => s.msn)).toEqual([0, 1, 2]);
    const next = window.merge(ffmpegPlaylist(1, 4));
    expect(next.added.map((s) => s.msn)).toEqual([3, 4]);
    expect(next.evicted.map((s) => s.msn)).toEqual([0, 1]);
    expect([window.firstMsn, window.lastMsn, window.durationSec()]).toEqual([2, 4, 6]);
  });

  it('keeps the old run in the window across a restart and marks the discontinuity', () => {
    const window = new LiveWindow({ capacity: 4, targetDurationSec: 2 });
    window.merge(ffmpegPlaylist(0, 4));
    // ffmpeg restarted with -start_number 5 and discont_start: its playlist has only the new segment.
    window.merge(ffmpegPlaylist(5, 5, { discontinuity: true }));
    expect(uris(window)).toEqual(['seg_00002.ts', 'seg_00003.ts', 'seg_00004.ts', 'seg_00005.ts']);
    expect(window.render()).toContain(
      '#EXT-X-MEDIA-SEQUENCE:2\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXTINF:2.000000,\nseg_00002.ts\n#EXTINF:2.000000,\nseg_00003.ts\n#EXTINF:2.000000,\nseg_00004.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:2.000000,\nseg_00005.ts\n',
    );
    expect(window.render()).not.toContain('DISCONTINUITY-SEQUENCE');
  });

  it('counts a discontinuity that slides out in EXT-X-DISCONTINUITY-SEQUENCE (which ffmpeg omits)', () => {
    const window = new LiveWindow({ capacity: 3, targetDurationSec: 2 });
    window.merge(ffmpegPlaylist(0, 2));
    window.merge(ffmpegPlaylist(3, 3, { discontinuity: true }));
    window.merge(ffmpegPlaylist(3, 5));
    // seg 3 (with the discontinuity) is still first: the tag stays and the sequence is 0.
    expect(window.render()).toMatch(/MEDIA-SEQUENCE:3\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-DISCONTINUITY\n/);
    const { evicted } = window.merge(ffmpegPlaylist(4, 6));
    expect(evicted.map((s) => s.msn)).toEqual([3]);
    const text = window.render();
    expect(text).toContain('#EXT-X-MEDIA-SEQUENCE:4\n#EXT-X-DISCONTINUITY-SEQUENCE:1\n');
    expect(text).not.toContain('#EXT-X-DISCONTINUITY\n');
  });

  it('fills a variant that lost its last segment so numbers stay aligned', () => {
    const window = new LiveWindow({ capacity: 10, targetDurationSec: 2 });
    window.merge(ffmpegPlaylist(0, 3));
    // The other variants had written segment 4 before ffmpeg was killed: the restart starts at 5.
    const { added } = window.merge(ffmpegPlaylist(5, 5, { discontinuity: true }));
    expect(added.map((s) => [s.msn, s.uri, s.discontinuity])).toEqual([
      [4, 'seg_00003.ts', true],
      [5, 'seg_00005.ts', true],
    ]);
    expect(window.references('seg_00003.ts')).toBe(true);
  });

  it('writes EXT-X-MAP again when a restarted run brings its own init segment', () => {
    const window = new LiveWindow({ capacity: 4, targetDurationSec: 2 });
    window.merge(ffmpegPlaylist(0, 1, { map: 'init_a.mp4' }));
    window.merge(ffmpegPlaylist(2, 2, { map: 'init_a_s2.mp4', discontinuity: true }));
    expect(window.render()).toContain(
      '#EXT-X-MAP:URI="init_a.mp4"\n#EXTINF:2.000000,\nseg_00000.ts\n#EXTINF:2.000000,\nseg_00001.ts\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init_a_s2.mp4"\n',
    );
  });

  it('restores a published window and continues it', () => {
    const first = new LiveWindow({ capacity: 3, targetDurationSec: 2 });
    first.merge(ffmpegPlaylist(0, 2));
    first.merge(ffmpegPlaylist(3, 3, { discontinuity: true }));
    first.merge(ffmpegPlaylist(3, 6));
    const published = parseMediaPlaylist(first.render());
    if (!published.ok) throw new Error(published.error.message);
    const resumed = LiveWindow.restore(published.value, { capacity: 3, targetDurationSec: 2 });
    expect([resumed.firstMsn, resumed.lastMsn, resumed.discontinuitySequence]).toEqual([4, 6, 1]);
    resumed.merge(ffmpegPlaylist(7, 7, { discontinuity: true }));
    expect(resumed.render()).toContain('#EXT-X-MEDIA-SEQUENCE:5\n#EXT-X-DISCONTINUITY-SEQUENCE:1\n');
  });

  it('adds ENDLIST when asked and never lowers the target duration', () => {
    const window = new LiveWindow({ capacity: 3, targetDurationSec: 1 });
    window.merge(ffmpegPlaylist(0, 0));
    expect(window.render({ endList: true })).toMatch(/#EXT-X-TARGETDURATION:2\n[\s\S]*#EXT-X-ENDLIST\n$/);
  });
});
