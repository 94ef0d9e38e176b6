/**
 * Where a transcode puts its files, in one place: ffmpeg's argv writes them there and
 * the master playlist points at them, so the two cannot drift apart.
 *
 *   <outDir>/<rung>/index.m3u8          media playlist
 *   <outDir>/<rung>/seg_00042.ts|.m4s   segments (5-digit media sequence number)
 *   <outDir>/<rung>/init_<rung>.mp4     fMP4 init segment (EXT-X-MAP)
 *   <outDir>/<rung>/p<N>.m4s            low latency: ffmpeg's part files (N counts parts);
 *                                       in the store they become part<N>.m4s and seg_<msn>.m4s
 */

export type SegmentType = 'ts' | 'fmp4';

export const MEDIA_PLAYLIST_NAME = 'index.m3u8';

/** printf-style pattern of ffmpeg's part files in low-latency mode (N: the part number). */
export const LOW_LATENCY_PART_FILE_PATTERN = 'p%d.m4s';

export function segmentExtension(type: SegmentType): string {
  return type === 'fmp4' ? 'm4s' : 'ts';
}

/** printf-style pattern ffmpeg expands with the segment's media sequence number. */
export function segmentNamePattern(type: SegmentType): string {
  return `seg_%05d.${segmentExtension(type)}`;
}

/**
 * Init segment name. ffmpeg 5.1's hlsenc appends "_<index>" to a fixed init name when
 * there are several variants, and writes "../<rung>/init.mp4" URIs for a pattern with
 * %v in the directory; "init_<rung>.mp4" is the one layout that stays predictable.
 */
export function initSegmentName(rungName: string): string {
  return `init_${rungName}.mp4`;
}

/** URI of a rung's media playlist relative to the master playlist in outDir. */
export function mediaPlaylistUri(rungName: string): string {
  return `${rungName}/${MEDIA_PLAYLIST_NAME}`;
}
