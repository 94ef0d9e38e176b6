/**
 * How long a low-latency part is, in whole frames. ffmpeg cuts parts on time
 * (split_by_time) at multiples of the part duration from the start, and forces a
 * keyframe every segment duration; for every segment to start exactly on a part
 * boundary, a segment must hold a whole number of parts and a part a whole number
 * of frames. Pure.
 */

export interface PartTiming {
  /** Exact part duration in seconds (frames per part / fps). */
  readonly partDurationSec: number;
  readonly partsPerSegment: number;
  readonly framesPerPart: number;
}

/** RFC 8216bis suggests parts of 0.2-1 s; hlscdn's default sits in the middle. */
export const DEFAULT_PART_TARGET_SEC = 0.4;

/**
 * The part length closest to `partTargetSec` that divides a segment's frames evenly.
 * With no video (fps undefined) the part is the target itself, in whole 1/1000 s.
 */
export function planPartTiming(fps: number | undefined, segmentDurationSec: number, partTargetSec: number): PartTiming {
  if (fps === undefined) {
    const parts = Math.max(1, Math.round(segmentDurationSec / partTargetSec));
    return { partDurationSec: segmentDurationSec / parts, partsPerSegment: parts, framesPerPart: 0 };
  }
  const frames = Math.max(1, Math.round(fps * segmentDurationSec));
  let best = 1;
  for (let parts = 1; parts <= frames; parts++) {
    if (frames % parts !== 0) continue;
    const error = Math.abs(segmentDurationSec / parts - partTargetSec);
    const bestError = Math.abs(segmentDurationSec / best - partTargetSec);
    if (error < bestError) best = parts;
  }
  const framesPerPart = frames / best;
  return { partDurationSec: framesPerPart / fps, partsPerSegment: best, framesPerPart };
}

/**
 * The value for ffmpeg's -hls_time: hlsenc reads it in whole microseconds and cuts
 * at the first frame at or after k x hls_time, so the value is rounded DOWN: a part
 * of 10 frames at 30 fps (0.3333...) becomes 0.333333, which still cuts at frame 10k
 * for the first 100 000 parts (9 hours), where rounding up would cut at 10k + 1.
 */
export function hlsTimeArg(partDurationSec: number): string {
  // The epsilon keeps 0.4 (399999.99999... after float multiplication) at 400000.
  return (Math.floor(partDurationSec * 1e6 + 1e-6) / 1e6).toFixed(6);
}
