/** Tests of transcode option validation: one case per error code. */
import { describe, it, expect } from 'vitest';
import type { Rung } from '../ladder/rung.js';
import { validateTranscodeOptions } from './transcode-options.js';
import type { TranscodeOptions } from './transcode-options.js';

const R720: Rung = {
  kind: 'video',
  name: '720p',
  width: 1280,
  height: 720,
  videoBitrateKbps: 2800,
  maxrateKbps: 2996,
  bufsizeKbps: 4200,
  audioBitrateKbps: 128,
  profile: 'high',
  level: '3.1',
};
const AUDIO: Rung = { kind: 'audio', name: 'audio-only', audioBitrateKbps: 64 };

const valid: TranscodeOptions = {
  input: { kind: 'url', url: 'rtmp://h/a/b', live: true },
  rungs: [R720, AUDIO],
  fps: 30,
  mode: { kind: 'live', dvrWindowSec: 6 },
  outDir: '/srv/hls/x',
};

describe('validateTranscodeOptions', () => {
  it('accepts good options and returns them', () => {
    expect(validateTranscodeOptions(valid)).toEqual({ ok: true, value: valid });
  });

  it('accepts an audio-only ladder without a frame rate', () => {
    expect(validateTranscodeOptions({ ...valid, rungs: [AUDIO], fps: undefined }).ok).toBe(true);
  });

  it.each<[string, Partial<TranscodeOptions>, string]>([
    ['an empty ladder', { rungs: [] }, 'no-rungs'],
    ['a rung name with a space', { rungs: [{ ...R720, name: 'a b' }] }, 'invalid-rung'],
    ['odd rung dimensions', { rungs: [{ ...R720, width: 853 }] }, 'invalid-rung'],
    ['a duplicate rung name', { rungs: [R720, { ...AUDIO, name: '720p' }] }, 'duplicate-rung-name'],
    ['video without a frame rate', { fps: undefined }, 'missing-fps'],
    ['a zero segment duration', { segment: { durationSec: 0 } }, 'invalid-segment-duration'],
    ['a live window under three segments (RFC 8216 6.2.2)', { mode: { kind: 'live', dvrWindowSec: 5 } }, 'dvr-window-too-short'],
    ['a negative start number', { mode: { kind: 'live', dvrWindowSec: 60, startNumber: -1 } }, 'invalid-start-number'],
    ['a fractional start number', { mode: { kind: 'live', dvrWindowSec: 60, startNumber: 1.5 } }, 'invalid-start-number'],
    ['a % in the output directory', { outDir: '/srv/100%/x' }, 'invalid-out-dir'],
    ['an empty output directory', { outDir: ' ' }, 'invalid-out-dir'],
    ['an empty url', { input: { kind: 'url', url: '', live: false } }, 'invalid-input'],
    ['a zero network timeout', { input: { kind: 'url', url: 'x', live: false, networkTimeoutSec: 0 } }, 'invalid-input'],
    [
      'an odd test source size',
      { input: { kind: 'testsrc', width: 641, height: 360, fps: 30, clock: false, toneHz: 440 } },
      'invalid-input',
    ],
    ['a silent test tone', { input: { kind: 'testsrc', width: 640, height: 360, fps: 30, clock: false, toneHz: 0 } }, 'invalid-input'],
    ['zero threads', { threads: 0 }, 'invalid-threads'],
  ])('rejects %s', (_label, change, code) => {
    const result = validateTranscodeOptions({ ...valid, ...change });
    expect(result).toMatchObject({ ok: false, error: { code } });
    expect(!result.ok && result.error.message.length).toBeGreaterThan(10);
  });
});
