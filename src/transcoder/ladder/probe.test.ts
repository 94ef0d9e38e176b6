/** Tests of ffprobe JSON reading against hand-written fixtures (ladder/fixtures/). */
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parseFfprobeJson, parseRational } from './probe.js';
import type { ProbeInfo } from './probe.js';

/** Hand-written excerpts of `ffprobe -print_format json -show_streams -show_format` output. */
function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8');
}

function probe(json: unknown): ProbeInfo {
  const result = parseFfprobeJson(json);
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('parseFfprobeJson', () => {
  it('reads an NTSC H.264 + AAC file', () => {
    expect(probe(fixture('ntsc-h264-aac'))).toEqual({
      video: { codec: 'h264', width: 1920, height: 1080, fps: 30000 / 1001, codedWidth: 1920, codedHeight: 1080, rotation: 0 },
      audio: { codec: 'aac', channels: 2, sampleRate: 48000 },
      durationSec: 596.48,
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    });
  });

  it('accepts the already parsed object as well as the text', () => {
    expect(probe(JSON.parse(fixture('ntsc-h264-aac')))).toEqual(probe(fixture('ntsc-h264-aac')));
  });

  it('swaps width and height of a phone video rotated by its display matrix, using the average rate', () => {
    const info = probe(fixture('phone-rotated'));
    expect(info.video).toMatchObject({ width: 1080, height: 1920, codedWidth: 1920, codedHeight: 1080, rotation: -90 });
    expect(info.video?.fps).toBeCloseTo(29.834, 3);
    expect(info.audio).toEqual({ codec: 'aac', channels: 1, sampleRate: 44100 });
    expect(info.durationSec).toBe(9.988);
  });

  it('honours the rotate tag of older files', () => {
    expect(probe(fixture('old-rotate-tag')).video).toMatchObject({ width: 720, height: 1280, rotation: 270 });
  });

  it('widens anamorphic video by its sample aspect ratio and prefers avg_frame_rate over the field rate', () => {
    const info = probe(fixture('anamorphic-dvd'));
    expect(info.video).toMatchObject({ width: 1024, height: 576, codedWidth: 720, fps: 25 });
    expect(info.audio).toMatchObject({ codec: 'ac3', channels: 6 });
  });

  it('ignores cover art: an MP3 with a picture is an audio-only input', () => {
    const info = probe(fixture('mp3-cover-art'));
    expect(info.video).toBeUndefined();
    expect(info.audio).toEqual({ codec: 'mp3', channels: 2, sampleRate: 44100 });
    expect(info.durationSec).toBe(215.3);
  });

  it('reads a live source: no duration, r_frame_rate when the average is 0/0, unknown SAR as square', () => {
    const info = probe(fixture('live-rtmp'));
    expect(info.durationSec).toBeUndefined();
    expect(info.video).toMatchObject({ width: 1280, height: 720, fps: 60 });
    expect(info.formatName).toBe('flv');
  });

  it('reports text that is not JSON', () => {
    expect(parseFfprobeJson('Invalid data found when processing input')).toMatchObject({ ok: false, error: { code: 'invalid-json' } });
  });

  it('reports JSON of the wrong shape', () => {
    expect(parseFfprobeJson({ streams: 'none' })).toMatchObject({ ok: false, error: { code: 'invalid-probe' } });
    expect(parseFfprobeJson('[1,2]')).toMatchObject({ ok: false, error: { code: 'invalid-probe' } });
  });

  it('reports an input with neither usable video nor audio', () => {
    expect(parseFfprobeJson({ streams: [] })).toMatchObject({ ok: false, error: { code: 'no-media-streams' } });
    const subtitlesOnly = {
      streams: [
        { codec_type: 'subtitle', codec_name: 'mov_text' },
        { codec_type: 'video', width: 0, height: 0, avg_frame_rate: '0/0' },
      ],
    };
    expect(parseFfprobeJson(subtitlesOnly)).toMatchObject({ ok: false, error: { code: 'no-media-streams' } });
  });
});

describe('parseRational', () => {
  it.each([
    ['30000/1001', 30000 / 1001],
    ['25/1', 25],
    ['64/45', 64 / 45],
    ['24', 24],
    ['0/0', undefined],
    ['30/0', undefined],
    ['N/A', undefined],
    [undefined, undefined],
  ])('reads %s', (text, value) => {
    expect(parseRational(text)).toBe(value);
  });
});
