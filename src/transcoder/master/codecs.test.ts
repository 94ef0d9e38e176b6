/** Tests of RFC 6381 avc1 codec strings. */
import { describe, it, expect } from 'vitest';
import { avc1Codec } from './codecs.js';

describe('avc1Codec', () => {
  it.each([
    ['high', '4.0', 'avc1.640028'],
    ['high', '4.2', 'avc1.64002a'],
    ['high', '3.1', 'avc1.64001f'],
    ['main', '3.1', 'avc1.4d401f'],
    ['main', '3.0', 'avc1.4d401e'],
    // x264 writes Baseline as Constrained Baseline (constraint_set0+1 = 0xC0); ffmpeg's
    // own master playlist reports avc1.42c01e for the same stream.
    ['baseline', '3.0', 'avc1.42c01e'],
    ['high', '5.1', 'avc1.640033'],
    ['main', '1.0', 'avc1.4d400a'],
  ] as const)('%s %s is %s', (profile, level, codec) => {
    expect(avc1Codec(profile, level)).toBe(codec);
  });
});
