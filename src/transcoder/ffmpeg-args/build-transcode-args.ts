/**
 * Builds the complete argv (after the binary name) of the one ffmpeg process that turns
 * one input into every rung of an HLS ladder. Pure: spawning is someone else's job.
 */
import { buildEncodeArgs } from './encode-args.js';
import { buildHlsArgs } from './hls-args.js';
import { buildInputArgs } from './input-args.js';
import { DEFAULT_SEGMENT_DURATION_SEC, validateTranscodeOptions } from './transcode-options.js';
import type { TranscodeOptions } from './transcode-options.js';

/**
 * The argv for `ffmpeg`, to pass to spawn without a shell.
 *
 * Progress goes to stdout as `-progress` key=value blocks once a second (see
 * parseProgressChunk); warnings and errors go to stderr. Stop it with SIGINT or "q" on
 * stdin so hlsenc finishes the last segment; SIGKILL loses it.
 *
 * @throws RangeError when the options fail validateTranscodeOptions (call that first to
 *   get the problem as a value).
 */
export function buildTranscodeArgs(options: TranscodeOptions): string[] {
  const valid = validateTranscodeOptions(options);
  if (!valid.ok) throw new RangeError(`buildTranscodeArgs: ${valid.error.code}: ${valid.error.message}`);

  const segmentDurationSec = options.segment?.durationSec ?? DEFAULT_SEGMENT_DURATION_SEC;
  const input = buildInputArgs(options.input, options.mode);
  const encode = buildEncodeArgs({
    rungs: options.rungs,
    fps: options.fps,
    segmentDurationSec,
    encoderPreset: options.encoderPreset ?? 'veryfast',
    zeroLatency: options.mode.kind === 'live' && options.mode.lowLatency !== undefined,
    video: input.video,
    audio: input.audio,
  });

  return [
    '-hide_banner',
    '-loglevel',
    options.logLevel ?? 'warning',
    // Machine-readable progress on stdout every second instead of the interactive status line.
    '-nostats',
    '-progress',
    'pipe:1',
    '-stats_period',
    '1',
    // Never stop at an "overwrite?" prompt: a restart writes into the same directory.
    '-y',
    ...input.args,
    ...encode.args,
    // Filter graphs with several outputs can start one stream well before another;
    // the default queue of 128 packets then aborts the run (ffmpeg trac #6375).
    '-max_muxing_queue_size',
    '1024',
    ...(options.threads === undefined ? [] : ['-threads', String(options.threads)]),
    ...buildHlsArgs({
      rungs: options.rungs,
      mode: options.mode,
      segmentDurationSec,
      segmentType: options.segment?.type ?? 'ts',
      outDir: options.outDir,
      varStreamMap: encode.varStreamMap,
    }),
  ];
}
