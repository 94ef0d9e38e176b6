/** Tests of the derived progress and the progress line. */
import { describe, it, expect } from 'vitest';
import type { ProgressBlock } from '../progress/parse-progress.js';
import { describeProgress, formatProgressLine } from './progress-view.js';

const block = (outTimeUs: number | undefined, speed: number | undefined): ProgressBlock => ({
  frame: undefined,
  fps: undefined,
  outTimeUs,
  speed,
  totalSize: undefined,
  dupFrames: undefined,
  dropFrames: undefined,
  progress: 'continue',
  fields: {},
});

describe('describeProgress', () => {
  it('gives percent and ETA for a VOD of known length', () => {
    const p = describeProgress(block(12_000_000, 3), { durationSec: 30, startedAtMs: 0, nowMs: 4_000, restarts: 0 });
    expect(p).toEqual({ outTimeSec: 12, speed: 3, percent: 40, etaSec: 6, uptimeSec: 4, restarts: 0 });
    expect(formatProgressLine(p, false)).toBe('vod 40.0% speed 3.00x ETA 0:06');
  });

  it('gives uptime and restarts for live, and survives N/A fields', () => {
    const p = describeProgress(block(undefined, undefined), { durationSec: undefined, startedAtMs: 1_000, nowMs: 3_724_000, restarts: 2 });
    expect(p).toMatchObject({ outTimeSec: 0, percent: undefined, etaSec: undefined, uptimeSec: 3723 });
    expect(formatProgressLine(p, true)).toBe('live up 1:02:03 speed - restarts 2');
  });

  it('never reports more than 100 % or a negative ETA', () => {
    const p = describeProgress(block(31_000_000, 2), { durationSec: 30, startedAtMs: 0, nowMs: 0, restarts: 0 });
    expect([p.percent, p.etaSec]).toEqual([100, 0]);
  });
});
