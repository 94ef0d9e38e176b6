/**
 * The muxer half of the ffmpeg argv: hlsenc options for VOD or a live sliding window,
 * TS or fMP4 segments, and the output names with %v (replaced by each rung's name).
 */
import type { Rung } from '../ladder/rung.js';
import { MEDIA_PLAYLIST_NAME, initSegmentName, segmentNamePattern } from '../shared/output-layout.js';
import type { SegmentType } from '../shared/output-layout.js';
import type { TranscodeMode } from './transcode-options.js';

export interface HlsArgsOptions {
  readonly rungs: readonly Rung[];
  readonly mode: TranscodeMode;
  readonly segmentDurationSec: number;
  readonly segmentType: SegmentType;
  readonly outDir: string;
  readonly varStreamMap: string;
}

export function buildHlsArgs(options: HlsArgsOptions): string[] {
  const { mode, segmentType } = options;
  const dir = options.outDir.replace(/\/+$/, '') || '/';
  const variantDir = `${dir === '/' ? '' : dir}/%v`;
  const args = ['-f', 'hls', '-hls_time', String(options.segmentDurationSec)];

  if (segmentType === 'fmp4') {
    args.push('-hls_segment_type', 'fmp4', '-hls_fmp4_init_filename', initNameArg(options.rungs));
  } else {
    args.push('-hls_segment_type', 'mpegts');
  }

  args.push('-hls_flags', hlsFlags(mode).join('+'));

  if (mode.kind === 'vod') {
    args.push('-hls_playlist_type', 'vod', '-hls_list_size', '0');
  } else {
    // No delete_segments: the uploader removes a segment from storage only after the
    // RFC 8216 6.2.2 grace period (its duration plus the playlist's), which ffmpeg ignores.
    args.push('-hls_list_size', String(Math.ceil(mode.dvrWindowSec / options.segmentDurationSec)));
    if (mode.startNumber !== undefined) args.push('-start_number', String(mode.startNumber));
  }

  args.push(
    '-hls_segment_filename',
    `${variantDir}/${segmentNamePattern(segmentType)}`,
    // Name and value as two argv elements: joined into one string the value's spaces
    // get split again by wrappers such as fluent-ffmpeg.
    '-var_stream_map',
    options.varStreamMap,
    `${variantDir}/${MEDIA_PLAYLIST_NAME}`,
  );
  return args;
}

function hlsFlags(mode: TranscodeMode): string[] {
  // independent_segments: every segment starts with a keyframe (our forced GOPs), which
  // lets players switch rungs at any boundary (RFC 8216 4.3.5.1).
  // temp_file: write *.tmp and rename, so no watcher uploads a half-written file (PeerTube #7333).
  const flags = ['independent_segments', 'temp_file'];
  if (mode.kind === 'live') {
    // Wall-clock anchors for the uploader's freshness checks and for players' live sync.
    flags.push('program_date_time');
    if (mode.endListOnExit !== true) flags.push('omit_endlist');
    if (mode.discontinuity === true) flags.push('discont_start');
  }
  return flags;
}

/**
 * hlsenc expands %v in the init name only when there are several variants; with one
 * variant the name is used as is, so the rung name is written in directly.
 */
function initNameArg(rungs: readonly Rung[]): string {
  const only = rungs.length === 1 ? rungs[0] : undefined;
  return initSegmentName(only ? only.name : '%v');
}
