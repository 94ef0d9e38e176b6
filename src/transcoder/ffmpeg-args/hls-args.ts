/**
 * The muxer half of the ffmpeg argv: hlsenc options for VOD or a live sliding window,
 * TS or fMP4 segments, and the output names with %v (replaced by each rung's name).
 */
import type { Rung } from '../ladder/rung.js';
import { LOW_LATENCY_PART_FILE_PATTERN, MEDIA_PLAYLIST_NAME, initSegmentName, segmentNamePattern } from '../shared/output-layout.js';
import type { SegmentType } from '../shared/output-layout.js';
import type { LiveMode, TranscodeMode } from './transcode-options.js';
import { hlsTimeArg } from '../low-latency/part-timing.js';

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
  const lowLatency = mode.kind === 'live' ? mode.lowLatency : undefined;
  if (lowLatency) return lowLatencyHlsArgs(options, mode as LiveMode, lowLatency.partDurationSec, variantDir);
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

/**
 * Low latency: every part is one hlsenc "segment" file (`p<N>.m4s`), cut on time
 * (split_by_time) rather than only on keyframes, so parts can be shorter than a GOP;
 * the forced keyframes fall on every partsPerSegment-th cut (part-timing.ts). ffmpeg's
 * playlist lists a part once the file is complete, which is the uploader's signal; it
 * keeps a few segments' worth of parts, enough for the uploader to never miss one.
 */
function lowLatencyHlsArgs(options: HlsArgsOptions, mode: LiveMode, partDurationSec: number, variantDir: string): string[] {
  const partsListed = Math.max(12, Math.ceil((3 * options.segmentDurationSec) / partDurationSec));
  return [
    '-f',
    'hls',
    '-hls_time',
    hlsTimeArg(partDurationSec),
    '-hls_segment_type',
    'fmp4',
    '-hls_fmp4_init_filename',
    initNameArg(options.rungs),
    '-hls_flags',
    'split_by_time+independent_segments+temp_file+program_date_time+omit_endlist',
    '-hls_list_size',
    String(partsListed),
    '-start_number',
    String(mode.startNumber ?? 0),
    '-hls_segment_filename',
    `${variantDir}/${LOW_LATENCY_PART_FILE_PATTERN}`,
    '-var_stream_map',
    options.varStreamMap,
    `${variantDir}/${MEDIA_PLAYLIST_NAME}`,
  ];
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
