/** Tests of fitting a ladder to an input: no upscaling, aspect ratio, even sizes, missing streams, fps caps, levels. */
import { describe, it, expect } from 'vitest';
import { LADDER_PRESETS } from './presets.js';
import type { Rung, RungSpec, VideoRung } from './rung.js';
import { trimLadder } from './trim-ladder.js';
import type { LadderProbe } from './trim-ladder.js';

const FULL: RungSpec[] = [
  LADDER_PRESETS['1080p'],
  LADDER_PRESETS['720p'],
  LADDER_PRESETS['480p'],
  LADDER_PRESETS['360p'],
  LADDER_PRESETS['240p'],
  LADDER_PRESETS['audio-only'],
];
const STEREO = { channels: 2, sampleRate: 48000 };

function trimmed(specs: readonly RungSpec[], probe: LadderProbe, maxFps?: number): { rungs: Rung[]; fps: number | undefined } {
  const result = trimLadder(specs, probe, maxFps === undefined ? {} : { maxFps });
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

const sizes = (rungs: readonly Rung[]): string[] => rungs.map((r) => (r.kind === 'video' ? `${r.name}=${r.width}x${r.height}` : r.name));

describe('trimLadder', () => {
  it('keeps every rung of a 1080p input with 16:9 sizes and the presets unchanged', () => {
    const { rungs, fps } = trimmed(FULL, { video: { width: 1920, height: 1080, fps: 30 }, audio: STEREO });
    expect(sizes(rungs)).toEqual(['1080p=1920x1080', '720p=1280x720', '480p=854x480', '360p=640x360', '240p=426x240', 'audio-only']);
    expect(fps).toBe(30);
    expect(rungs[0]).toEqual({
      kind: 'video',
      name: '1080p',
      width: 1920,
      height: 1080,
      videoBitrateKbps: 5000,
      maxrateKbps: 5350,
      bufsizeKbps: 7500,
      audioBitrateKbps: 128,
      profile: 'high',
      level: '4.0',
    });
  });

  it('never upscales: a 720p input loses the 1080p rung', () => {
    const { rungs } = trimmed(FULL, { video: { width: 1280, height: 720, fps: 25 }, audio: STEREO });
    expect(sizes(rungs)).toEqual(['720p=1280x720', '480p=854x480', '360p=640x360', '240p=426x240', 'audio-only']);
  });

  it('measures a portrait input on its short side and keeps it portrait', () => {
    const { rungs } = trimmed(FULL, { video: { width: 1080, height: 1920, fps: 30 }, audio: STEREO });
    expect(sizes(rungs)).toEqual(['1080p=1080x1920', '720p=720x1280', '480p=480x854', '360p=360x640', '240p=240x426', 'audio-only']);
  });

  it('keeps a 4:3 aspect ratio', () => {
    const { rungs } = trimmed(FULL, { video: { width: 1440, height: 1080, fps: 30 }, audio: STEREO });
    expect(sizes(rungs)).toEqual(['1080p=1440x1080', '720p=960x720', '480p=640x480', '360p=480x360', '240p=320x240', 'audio-only']);
  });

  it('makes odd input sizes even without exceeding the input', () => {
    // 16:9-ish crop with odd sides: 721 short side keeps the 720p rung.
    const { rungs } = trimmed([LADDER_PRESETS['720p'], LADDER_PRESETS['360p']], { video: { width: 1281, height: 721, fps: 30 } });
    expect(sizes(rungs)).toEqual(['720p=1280x720', '360p=640x360']);
    for (const rung of rungs) {
      if (rung.kind === 'video') expect([rung.width % 2, rung.height % 2]).toEqual([0, 0]);
    }
  });

  it('rounds an odd custom rung height down to even', () => {
    const odd: RungSpec = { ...LADDER_PRESETS['360p'], name: 'odd', height: 361 };
    const { rungs } = trimmed([odd], { video: { width: 1920, height: 1080, fps: 30 } });
    expect(sizes(rungs)).toEqual(['odd=640x360']);
  });

  it('keeps one rung at the input size when the input is smaller than every rung', () => {
    const { rungs } = trimmed([LADDER_PRESETS['720p'], LADDER_PRESETS['360p']], {
      video: { width: 256, height: 144, fps: 30 },
      audio: STEREO,
    });
    // The smallest rung (360p) shrinks to 144p; bitrates scale with the pixel count (0.4^2).
    expect(rungs).toEqual([
      {
        kind: 'video',
        name: '144p',
        width: 256,
        height: 144,
        videoBitrateKbps: 128,
        maxrateKbps: 137,
        bufsizeKbps: 192,
        audioBitrateKbps: 96,
        profile: 'main',
        level: '3.0',
      },
    ]);
  });

  it('keeps a custom name when shrinking the only rung', () => {
    const custom: RungSpec = { ...LADDER_PRESETS['360p'], name: 'mobile' };
    const { rungs } = trimmed([custom], { video: { width: 176, height: 143, fps: 15 } });
    // 143 rounds down to 142; 142 x 176/143 = 174.8 rounds to the even 174.
    expect(sizes(rungs)).toEqual(['mobile=174x142']);
  });

  it('drops audio from every rung when the input has none', () => {
    const { rungs } = trimmed(FULL, { video: { width: 1280, height: 720, fps: 30 } });
    expect(sizes(rungs)).toEqual(['720p=1280x720', '480p=854x480', '360p=640x360', '240p=426x240']);
    expect(rungs.map((r) => (r as VideoRung).audioBitrateKbps)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('drops video rungs when the input has no video', () => {
    const { rungs, fps } = trimmed(FULL, { audio: STEREO });
    expect(rungs).toEqual([LADDER_PRESETS['audio-only']]);
    expect(fps).toBeUndefined();
  });

  it('adds the audio-only preset for an audio input and a video-only ladder', () => {
    const { rungs } = trimmed([LADDER_PRESETS['720p']], { audio: STEREO });
    expect(rungs).toEqual([LADDER_PRESETS['audio-only']]);
  });

  it('fails when nothing in the ladder can be fed by the input', () => {
    expect(trimLadder([LADDER_PRESETS['audio-only']], { video: { width: 1280, height: 720, fps: 30 } })).toMatchObject({
      ok: false,
      error: { code: 'nothing-to-encode' },
    });
    expect(trimLadder(FULL, {})).toMatchObject({ ok: false, error: { code: 'nothing-to-encode' } });
  });

  it('rejects a probe with a zero-sized or rate-less video', () => {
    expect(trimLadder(FULL, { video: { width: 0, height: 720, fps: 30 } })).toMatchObject({ ok: false, error: { code: 'invalid-probe' } });
    expect(trimLadder(FULL, { video: { width: 1280, height: 720, fps: Number.NaN } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-probe' },
    });
  });

  it.each([
    [60, 60],
    [120, 60],
    [50, 50],
    [29.83, 30000 / 1001],
  ])('turns input %f fps into %f fps', (input, expected) => {
    expect(trimmed(FULL, { video: { width: 1280, height: 720, fps: input } }).fps).toBeCloseTo(expected, 9);
  });

  it('honours a custom frame-rate cap', () => {
    expect(trimmed(FULL, { video: { width: 1280, height: 720, fps: 60 } }, 30).fps).toBe(30);
  });

  it('raises the level where size and frame rate need it and keeps higher preset levels', () => {
    const { rungs } = trimmed(FULL, { video: { width: 1920, height: 1080, fps: 60 } });
    const levels = rungs.map((r) => (r.kind === 'video' ? `${r.name}:${r.level}` : r.name));
    // 1080p60 needs 4.2, 720p60 3.2, 480p60 3.1... 240p keeps its preset 3.0.
    expect(levels).toEqual(['1080p:4.2', '720p:3.2', '480p:3.1', '360p:3.1', '240p:3.0']);
  });
});
