/** Tests of frame-rate snapping, capping and formatting. */
import { describe, it, expect } from 'vitest';
import { capFrameRate, frameRateForFfmpeg, frameRateForPlaylist, framesPerSegment, normalizeFrameRate } from './frame-rate.js';

describe('normalizeFrameRate', () => {
  it.each([
    [29.83, 30000 / 1001],
    [30.02, 30],
    [25.1, 25],
    [59.94, 60000 / 1001],
    [23.976023976, 24000 / 1001],
  ])('snaps a measured %f to the standard rate', (measured, standard) => {
    expect(normalizeFrameRate(measured)).toBe(standard);
  });

  it('keeps rates that are not near a standard one', () => {
    expect(normalizeFrameRate(15)).toBe(15);
    expect(normalizeFrameRate(12.5)).toBe(12.5);
  });
});

describe('capFrameRate', () => {
  it.each([
    [60, 60],
    [30, 30],
    [120, 60],
    [120000 / 1001, 60000 / 1001],
    [100, 50],
    [144, 48],
  ])('caps %f to %f with a 60 fps limit', (input, expected) => {
    expect(capFrameRate(input, 60)).toBeCloseTo(expected, 9);
  });

  it('honours a lower limit by whole-number division', () => {
    expect(capFrameRate(60, 30)).toBe(30);
    expect(capFrameRate(50, 30)).toBe(25);
  });
});

describe('frame rate formatting', () => {
  it('writes NTSC rates as exact rationals for ffmpeg', () => {
    expect(frameRateForFfmpeg(30000 / 1001)).toBe('30000/1001');
    expect(frameRateForFfmpeg(60000 / 1001)).toBe('60000/1001');
    expect(frameRateForFfmpeg(24000 / 1001)).toBe('24000/1001');
    expect(frameRateForFfmpeg(30)).toBe('30');
    expect(frameRateForFfmpeg(12.5)).toBe('12.5');
  });

  it('writes FRAME-RATE with three decimals', () => {
    expect(frameRateForPlaylist(30000 / 1001)).toBe('29.970');
    expect(frameRateForPlaylist(25)).toBe('25.000');
  });

  it('counts whole frames per segment', () => {
    expect(framesPerSegment(30, 2)).toBe(60);
    expect(framesPerSegment(30000 / 1001, 2)).toBe(60);
    expect(framesPerSegment(25, 6)).toBe(150);
  });
});
