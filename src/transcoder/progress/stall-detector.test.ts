/** Tests of stall detection from out_time samples. */
import { describe, it, expect } from 'vitest';
import { StallDetector } from './stall-detector.js';

describe('StallDetector', () => {
  it('is not stalled while out_time advances', () => {
    const detector = new StallDetector({ stallMs: 5000 });
    for (let i = 0; i < 20; i += 1) {
      expect(detector.observe(i * 1_000_000, i * 1000)).toBe(false);
    }
  });

  it('reports a stall once out_time has been still for stallMs', () => {
    const detector = new StallDetector({ stallMs: 5000 });
    detector.observe(1_000_000, 0);
    expect(detector.observe(1_000_000, 4999)).toBe(false);
    expect(detector.observe(1_000_000, 5000)).toBe(true);
    expect(detector.stillForMs(6000)).toBe(6000);
    // Progress resumes: no longer stalled.
    expect(detector.observe(1_040_000, 6000)).toBe(false);
    expect(detector.stillForMs(6500)).toBe(500);
  });

  it('counts unknown ("N/A") and backwards out_time as no progress', () => {
    const detector = new StallDetector({ stallMs: 3000 });
    detector.observe(10_000_000, 0);
    expect(detector.observe(undefined, 2000)).toBe(false);
    expect(detector.observe(9_000_000, 2500)).toBe(false);
    expect(detector.observe(10_000_000, 3000)).toBe(true);
  });

  it('counts from the first sample when out_time never becomes known', () => {
    const detector = new StallDetector({ stallMs: 3000 });
    expect(detector.observe(undefined, 10_000)).toBe(false);
    expect(detector.observe(undefined, 13_000)).toBe(true);
  });

  it('can be asked between samples, for an ffmpeg that stopped printing', () => {
    const detector = new StallDetector({ stallMs: 3000 });
    expect(detector.isStalled(1_000_000)).toBe(false);
    detector.observe(500_000, 100);
    expect(detector.isStalled(3099)).toBe(false);
    expect(detector.isStalled(3100)).toBe(true);
  });

  it('forgets everything on reset', () => {
    const detector = new StallDetector({ stallMs: 1000 });
    detector.observe(9_000_000, 0);
    detector.reset();
    expect(detector.isStalled(5000)).toBe(false);
    // After a restart out_time starts again from zero: that is progress, not a rewind.
    detector.observe(0, 5000);
    expect(detector.observe(1_000_000, 5900)).toBe(false);
    expect(detector.stillForMs(5900)).toBe(0);
  });
});
