import { describe, expect, it } from 'vitest';
import { hlsTimeArg, planPartTiming } from './part-timing.js';

describe('planPartTiming', () => {
  it('splits 2 s at 25 fps into five parts of 10 frames for a 0.4 s target', () => {
    expect(planPartTiming(25, 2, 0.4)).toEqual({ partDurationSec: 0.4, partsPerSegment: 5, framesPerPart: 10 });
  });

  it('picks whole-frame parts at 30 fps (six parts of 10 frames for a 0.33 s target)', () => {
    const timing = planPartTiming(30, 2, 0.33);
    expect(timing.partsPerSegment).toBe(6);
    expect(timing.framesPerPart).toBe(10);
    expect(timing.partDurationSec).toBeCloseTo(1 / 3, 9);
  });

  it('never makes a part that does not divide the segment: 29.97 fps, 2 s (60 frames)', () => {
    const timing = planPartTiming(30000 / 1001, 2, 0.4);
    expect(60 % timing.partsPerSegment).toBe(0);
    expect(timing.framesPerPart * timing.partsPerSegment).toBe(60);
  });

  it('falls back to one part per segment when the target is longer than the segment', () => {
    expect(planPartTiming(25, 1, 2).partsPerSegment).toBe(1);
  });

  it('audio only: parts of the target length that divide the segment', () => {
    expect(planPartTiming(undefined, 2, 0.4)).toEqual({ partDurationSec: 0.4, partsPerSegment: 5, framesPerPart: 0 });
  });
});

describe('hlsTimeArg', () => {
  it('rounds down to whole microseconds', () => {
    expect(hlsTimeArg(1 / 3)).toBe('0.333333');
    expect(hlsTimeArg(0.4)).toBe('0.400000');
  });
});
