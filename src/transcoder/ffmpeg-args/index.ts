// Public surface of the ffmpeg argv builder.
export { buildTranscodeArgs } from './build-transcode-args.js';
export {
  DEFAULT_NETWORK_TIMEOUT_SEC,
  DEFAULT_SEGMENT_DURATION_SEC,
  MIN_LIVE_WINDOW_SEGMENTS,
  X264_PRESETS,
  validateTranscodeOptions,
} from './transcode-options.js';
export type {
  LiveMode,
  SegmentOptions,
  TestSourceInput,
  TranscodeInput,
  TranscodeMode,
  TranscodeOptions,
  TranscodeOptionsErrorCode,
  UrlInput,
  VodMode,
  X264Preset,
} from './transcode-options.js';
export { escapeFilterGraph, escapeFilterOption, filterValue } from './filter-escape.js';
