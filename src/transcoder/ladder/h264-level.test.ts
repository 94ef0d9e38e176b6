/** Tests of the minimum H.264 level against ITU-T H.264 Table A-1. */
import { describe, it, expect } from 'vitest';
import { higherH264Level, minimumH264Level } from './h264-level.js';
import type { LevelRequirements } from './h264-level.js';

const rung = (over: Partial<LevelRequirements>): LevelRequirements => ({
  width: 1920,
  height: 1080,
  fps: 30,
  maxrateKbps: 5350,
  bufsizeKbps: 7500,
  profile: 'high',
  ...over,
});

describe('minimumH264Level', () => {
  it.each([
    [rung({}), '4.0'],
    [rung({ fps: 60 }), '4.2'],
    [rung({ width: 1280, height: 720 }), '3.1'],
    [rung({ width: 1280, height: 720, fps: 60 }), '3.2'],
    [rung({ width: 854, height: 480, profile: 'main', maxrateKbps: 1498, bufsizeKbps: 2100 }), '3.1'],
    [rung({ width: 640, height: 360, profile: 'main', maxrateKbps: 856, bufsizeKbps: 1200 }), '3.0'],
    [rung({ width: 3840, height: 2160, fps: 60, maxrateKbps: 20000, bufsizeKbps: 30000 }), '5.2'],
  ] as const)('%o needs level %s', (req, level) => {
    expect(minimumH264Level(req)).toBe(level);
  });

  it('raises the level for a bitrate the size alone would not need', () => {
    // 720p30 fits 3.1 by size, but 3.1 caps Main at 14 Mbit/s.
    expect(minimumH264Level(rung({ width: 1280, height: 720, profile: 'main', maxrateKbps: 15000, bufsizeKbps: 15000 }))).toBe('3.2');
  });

  it('gives up beyond level 5.2', () => {
    expect(minimumH264Level(rung({ width: 7680, height: 4320 }))).toBeUndefined();
  });

  it('compares levels by rank, not text', () => {
    expect(higherH264Level('3.1', '4.0')).toBe('4.0');
    expect(higherH264Level('5.2', '5.1')).toBe('5.2');
  });
});
