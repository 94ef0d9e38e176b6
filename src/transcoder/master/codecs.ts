/** RFC 6381 codec strings for the CODECS attribute of EXT-X-STREAM-INF. */
import type { H264Level, H264Profile } from '../ladder/rung.js';

/** AAC-LC, the profile of ffmpeg's native `aac` encoder. */
export const AAC_LC_CODEC = 'mp4a.40.2';

const PROFILE_IDC: Record<H264Profile, number> = { baseline: 66, main: 77, high: 100 };

/**
 * The constraint-flag byte x264 writes in the SPS: Baseline is emitted as Constrained
 * Baseline (constraint_set0 and set1, 0xC0), Main sets constraint_set1 (0x40), High none.
 * ffmpeg's own master playlist reads the same bytes: avc1.42c01e, avc1.4d401f, avc1.640028.
 */
const CONSTRAINT_FLAGS: Record<H264Profile, number> = { baseline: 0xc0, main: 0x40, high: 0x00 };

/** "avc1.PPCCLL" (RFC 6381 3.3): profile_idc, constraint flags, level_idc (level x 10), in hex. */
export function avc1Codec(profile: H264Profile, level: H264Level): string {
  const levelIdc = Math.round(Number(level) * 10);
  return `avc1.${hex(PROFILE_IDC[profile])}${hex(CONSTRAINT_FLAGS[profile])}${hex(levelIdc)}`;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
