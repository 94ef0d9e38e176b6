/** Golden tests of the master playlist text. */
import { describe, it, expect } from 'vitest';
import type { Rung, VideoRung } from '../ladder/rung.js';
import { buildMasterPlaylist } from './build-master-playlist.js';

const video = (
  name: string,
  width: number,
  height: number,
  kbps: [number, number, number],
  audio: number | undefined,
  profile: VideoRung['profile'],
  level: VideoRung['level'],
): VideoRung => ({
  kind: 'video',
  name,
  width,
  height,
  videoBitrateKbps: kbps[0],
  maxrateKbps: kbps[1],
  bufsizeKbps: kbps[2],
  audioBitrateKbps: audio,
  profile,
  level,
});

const LADDER: Rung[] = [
  // The audio-only rung comes first on purpose: the master must still list it last.
  { kind: 'audio', name: 'audio-only', audioBitrateKbps: 64 },
  video('1080p', 1920, 1080, [5000, 5350, 7500], 128, 'high', '4.0'),
  video('720p', 1280, 720, [2800, 2996, 4200], 128, 'high', '3.1'),
  video('360p', 640, 360, [800, 856, 1200], 96, 'main', '3.0'),
];

describe('buildMasterPlaylist', () => {
  it('writes a TS master with peak and average bandwidth, resolution, frame rate and codecs (golden)', () => {
    expect(buildMasterPlaylist({ rungs: LADDER, fps: 30000 / 1001, segmentType: 'ts' })).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        // (5350 + 128) kbit/s x 1.1 = 6025.8 kbit/s peak; (5000 + 128) x 1.1 = 5640.8 average.
        '#EXT-X-STREAM-INF:BANDWIDTH=6025800,AVERAGE-BANDWIDTH=5640800,RESOLUTION=1920x1080,FRAME-RATE=29.970,CODECS="avc1.640028,mp4a.40.2"',
        '1080p/index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=3436400,AVERAGE-BANDWIDTH=3220800,RESOLUTION=1280x720,FRAME-RATE=29.970,CODECS="avc1.64001f,mp4a.40.2"',
        '720p/index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=1047200,AVERAGE-BANDWIDTH=985600,RESOLUTION=640x360,FRAME-RATE=29.970,CODECS="avc1.4d401e,mp4a.40.2"',
        '360p/index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=70400,AVERAGE-BANDWIDTH=70400,CODECS="mp4a.40.2"',
        'audio-only/index.m3u8',
        '',
      ].join('\n'),
    );
  });

  it('declares version 7 for fMP4 segments', () => {
    const text = buildMasterPlaylist({ rungs: LADDER, fps: 25, segmentType: 'fmp4' });
    expect(text.split('\n').slice(0, 3)).toEqual(['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS']);
    expect(text).toContain('FRAME-RATE=25.000');
  });

  it('lists only the video codec for rungs without audio', () => {
    const text = buildMasterPlaylist({
      rungs: [video('240p', 426, 240, [400, 428, 600], undefined, 'baseline', '3.0')],
      fps: 30,
      segmentType: 'ts',
    });
    expect(text).toContain(
      '#EXT-X-STREAM-INF:BANDWIDTH=470800,AVERAGE-BANDWIDTH=440000,RESOLUTION=426x240,FRAME-RATE=30.000,CODECS="avc1.42c01e"\n240p/index.m3u8\n',
    );
  });

  it('uses the muxing overhead given', () => {
    const text = buildMasterPlaylist({
      rungs: [{ kind: 'audio', name: 'a', audioBitrateKbps: 100 }],
      fps: undefined,
      segmentType: 'ts',
      muxingOverhead: 0,
    });
    expect(text).toBe(
      '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-STREAM-INF:BANDWIDTH=100000,AVERAGE-BANDWIDTH=100000,CODECS="mp4a.40.2"\na/index.m3u8\n',
    );
  });

  it('leaves FRAME-RATE out when no rate is known', () => {
    const text = buildMasterPlaylist({ rungs: [LADDER[2] as Rung], fps: undefined, segmentType: 'ts' });
    expect(text).not.toContain('FRAME-RATE');
    expect(text).toContain('RESOLUTION=1280x720,CODECS=');
  });
});
