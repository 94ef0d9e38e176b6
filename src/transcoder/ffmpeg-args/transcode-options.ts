/**
 * The options of one transcoding task (one input, one ladder, one ffmpeg process) and
 * their validation. buildTranscodeArgs assumes options that passed validateTranscodeOptions.
 */
import type { Rung } from '../ladder/rung.js';
import { RUNG_NAME_PATTERN } from '../ladder/rung-schema.js';
import { fail, ok } from '../../core/result.js';
import type { CodedProblem, Result } from '../../core/result.js';
import type { SegmentType } from '../shared/output-layout.js';

/** A file path or a URL ffmpeg can open (file, http(s), rtmp(s), rtsp, srt, udp, tcp...). */
export interface UrlInput {
  readonly kind: 'url';
  readonly url: string;
  /** A real-time source (camera, encoder push, live HLS): read as it arrives, reconnect as a stream. */
  readonly live: boolean;
  /**
   * Seconds of network silence after which ffmpeg fails instead of hanging.
   * @defaultValue 10
   */
  readonly networkTimeoutSec?: number;
}

/** A synthetic source (lavfi test pattern and a sine tone) for load tests and demos. */
export interface TestSourceInput {
  readonly kind: 'testsrc';
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** Burn a clock into the picture (needs fontFile); for glass-to-glass latency checks. */
  readonly clock: boolean;
  readonly toneHz: number;
  /** Stop after this many seconds; endless when absent. */
  readonly durationSec?: number;
  /** TrueType font for the clock, e.g. /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf. Without it: no clock. */
  readonly fontFile?: string;
  /**
   * Wall-clock time (ms since the epoch) at which the process starts. With it the clock
   * shows UTC with milliseconds derived from frame timestamps; without it, local time to the second.
   */
  readonly clockEpochMs?: number;
}

export type TranscodeInput = UrlInput | TestSourceInput;

export interface VodMode {
  readonly kind: 'vod';
}

export interface LiveMode {
  readonly kind: 'live';
  /** Seconds of past content the media playlists keep (the sliding window). */
  readonly dvrWindowSec: number;
  /** Media sequence number of the first segment; after a restart, the next one the old process would have written. */
  readonly startNumber?: number;
  /** Mark the first segment with EXT-X-DISCONTINUITY (a restart: timestamps and encoder state jump). */
  readonly discontinuity?: boolean;
  /**
   * Let ffmpeg write EXT-X-ENDLIST when it exits. Off by default: a live ffmpeg exits on
   * source failures too, and an ENDLIST would stop every player before a restart resumes
   * the stream. The session writes ENDLIST itself when the event really ends.
   * @defaultValue false
   */
  readonly endListOnExit?: boolean;
  /**
   * Low-latency HLS: ffmpeg writes each part (this long, whole frames, dividing a
   * segment) as its own fMP4 file, cut on time; the low-latency uploader groups
   * parts into segments and writes the playlists itself. startNumber then numbers
   * parts, not segments, and ffmpeg's own playlist is only read, never published.
   */
  readonly lowLatency?: { readonly partDurationSec: number };
}

export type TranscodeMode = VodMode | LiveMode;

export interface SegmentOptions {
  /** @defaultValue 2 */
  readonly durationSec?: number;
  /** @defaultValue 'ts' */
  readonly type?: SegmentType;
}

export const X264_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'] as const;
export type X264Preset = (typeof X264_PRESETS)[number];

export interface TranscodeOptions {
  readonly input: TranscodeInput;
  /** Trimmed rungs (see trimLadder); audio maps are made only for rungs that carry audio. */
  readonly rungs: readonly Rung[];
  /** Output frame rate of every video rung; required when there is a video rung. */
  readonly fps: number | undefined;
  readonly segment?: SegmentOptions;
  readonly mode: TranscodeMode;
  /** Directory that receives one sub-directory per rung. Must not contain '%' (ffmpeg patterns). */
  readonly outDir: string;
  /** @defaultValue 'veryfast' */
  readonly encoderPreset?: X264Preset;
  /** Encoder threads; ffmpeg picks per core when absent. */
  readonly threads?: number;
  /** @defaultValue 'warning' */
  readonly logLevel?: 'quiet' | 'panic' | 'fatal' | 'error' | 'warning' | 'info' | 'verbose' | 'debug';
}

export const DEFAULT_SEGMENT_DURATION_SEC = 2;
export const DEFAULT_NETWORK_TIMEOUT_SEC = 10;

/**
 * RFC 8216 6.2.2: a live playlist without ENDLIST must not get shorter than three
 * target durations.
 */
export const MIN_LIVE_WINDOW_SEGMENTS = 3;

export type TranscodeOptionsErrorCode =
  | 'no-rungs'
  | 'invalid-rung'
  | 'duplicate-rung-name'
  | 'missing-fps'
  | 'invalid-segment-duration'
  | 'dvr-window-too-short'
  | 'invalid-start-number'
  | 'invalid-out-dir'
  | 'invalid-input'
  | 'invalid-threads';

type Check = Result<void, CodedProblem<TranscodeOptionsErrorCode>>;
const PASS: Check = ok(undefined);

export function validateTranscodeOptions(options: TranscodeOptions): Result<TranscodeOptions, CodedProblem<TranscodeOptionsErrorCode>> {
  for (const check of [checkRungs(options), checkTiming(options), checkInput(options.input), checkOutput(options)]) {
    if (!check.ok) return check;
  }
  return ok(options);
}

function checkRungs({ rungs, fps }: TranscodeOptions): Check {
  if (rungs.length === 0) return fail('no-rungs', 'there is nothing to encode: the ladder is empty');
  const names = new Set<string>();
  for (const rung of rungs) {
    if (!RUNG_NAME_PATTERN.test(rung.name))
      return fail('invalid-rung', `rung name "${rung.name}" is not safe for paths and -var_stream_map`);
    if (names.has(rung.name)) return fail('duplicate-rung-name', `two rungs are named "${rung.name}"`);
    names.add(rung.name);
    if (rung.kind === 'video' && !(isEvenPositive(rung.width) && isEvenPositive(rung.height))) {
      return fail('invalid-rung', `rung "${rung.name}" must have even positive dimensions, got ${rung.width}x${rung.height}`);
    }
  }
  const hasVideo = rungs.some((rung) => rung.kind === 'video');
  if (hasVideo && !(fps !== undefined && Number.isFinite(fps) && fps > 0)) {
    return fail('missing-fps', 'an output frame rate is required when the ladder has video rungs');
  }
  return PASS;
}

function checkTiming({ segment, mode }: TranscodeOptions): Check {
  const segmentSec = segment?.durationSec ?? DEFAULT_SEGMENT_DURATION_SEC;
  if (!(Number.isFinite(segmentSec) && segmentSec > 0)) {
    return fail('invalid-segment-duration', `segment duration must be a positive number of seconds, got ${segmentSec}`);
  }
  if (mode.kind === 'live') {
    if (!(mode.dvrWindowSec >= segmentSec * MIN_LIVE_WINDOW_SEGMENTS)) {
      return fail(
        'dvr-window-too-short',
        `a live window of ${mode.dvrWindowSec}s holds fewer than ${MIN_LIVE_WINDOW_SEGMENTS} segments of ${segmentSec}s (RFC 8216 6.2.2)`,
      );
    }
    if (mode.startNumber !== undefined && !(Number.isSafeInteger(mode.startNumber) && mode.startNumber >= 0)) {
      return fail('invalid-start-number', `start number must be a non-negative integer, got ${mode.startNumber}`);
    }
  }
  return PASS;
}

function checkInput(input: TranscodeInput): Check {
  if (input.kind === 'url') {
    if (input.url.trim() === '') return fail('invalid-input', 'input url is empty');
    const timeout = input.networkTimeoutSec;
    if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) {
      return fail('invalid-input', `network timeout must be positive, got ${timeout}`);
    }
    return PASS;
  }
  if (!(isEvenPositive(input.width) && isEvenPositive(input.height))) {
    return fail('invalid-input', `test source size must be even and positive, got ${input.width}x${input.height}`);
  }
  if (!(input.fps > 0 && input.toneHz > 0)) return fail('invalid-input', 'test source fps and toneHz must be positive');
  if (input.durationSec !== undefined && !(input.durationSec > 0)) return fail('invalid-input', 'test source duration must be positive');
  return PASS;
}

function checkOutput({ outDir, threads }: TranscodeOptions): Check {
  // hlsenc expands '%' sequences in every output name.
  if (outDir.trim() === '' || outDir.includes('%')) {
    return fail('invalid-out-dir', `output directory must be non-empty and must not contain '%': "${outDir}"`);
  }
  if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) {
    return fail('invalid-threads', `threads must be a positive integer, got ${threads}`);
  }
  return PASS;
}

function isEvenPositive(n: number): boolean {
  return Number.isInteger(n) && n > 0 && n % 2 === 0;
}
