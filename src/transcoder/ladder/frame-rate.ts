/**
 * Frame-rate functions shared by the ladder, the ffmpeg argv and the master playlist:
 * snapping measured rates to the broadcast rates they stand for, capping without
 * judder, and writing rates the way ffmpeg and HLS want them.
 */

/** The NTSC family runs at n x 1000/1001; everything else here is exact. */
const STANDARD_RATES = [24000 / 1001, 24, 25, 30000 / 1001, 30, 48, 50, 60000 / 1001, 60, 100, 120000 / 1001, 120];

/** How far (relative) a measured rate may be from a standard one and still be snapped to it. */
const SNAP_TOLERANCE = 0.01;

/**
 * Snaps a measured rate to the nearest standard rate within 1 %. Phones record
 * variable frame rate, so ffprobe's average is often 29.83 or 30.02 for a 30 fps clip;
 * encoding at the standard rate gives GOPs of a whole number of frames.
 */
export function normalizeFrameRate(fps: number): number {
  let best = fps;
  let bestDistance = SNAP_TOLERANCE;
  for (const rate of STANDARD_RATES) {
    const distance = Math.abs(fps - rate) / rate;
    if (distance <= bestDistance) {
      best = rate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Caps a rate by dropping every n-th frame evenly: 120 -> 60, 119.88 -> 59.94,
 * 100 -> 50, 144 -> 48. Dividing by a whole number keeps motion regular.
 */
export function capFrameRate(fps: number, maxFps: number): number {
  if (fps <= maxFps * (1 + 1e-9)) return fps;
  const divisor = Math.ceil(fps / maxFps - 1e-9);
  return fps / divisor;
}

/** The integer n when fps is n x 1000/1001 (23.976, 29.97, 59.94...), else undefined. */
function ntscBase(fps: number): number | undefined {
  const base = Math.round(fps * 1.001);
  if (Number.isInteger(fps) || Math.abs(base / 1.001 - fps) > 1e-6) return undefined;
  return base;
}

/** A rate as ffmpeg reads it, exact for the NTSC family: 30, 25, 30000/1001, 12.5. */
export function frameRateForFfmpeg(fps: number): string {
  const base = ntscBase(fps);
  if (base !== undefined) return `${base * 1000}/1001`;
  if (Number.isInteger(fps)) return String(fps);
  return String(Number(fps.toFixed(6)));
}

/** FRAME-RATE attribute value: decimal with three digits (RFC 8216 4.3.4.2). */
export function frameRateForPlaylist(fps: number): string {
  return fps.toFixed(3);
}

/** Frames per segment, which is also the GOP length: segments start on keyframes. */
export function framesPerSegment(fps: number, segmentDurationSec: number): number {
  return Math.max(1, Math.round(fps * segmentDurationSec));
}
