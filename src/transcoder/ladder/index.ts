// Public surface of the ladder component: presets, custom rung schema, resolving a
// configured ladder, trimming it to an input, and reading ffprobe output.
export { H264_LEVELS, isAudioRung, isVideoRung } from './rung.js';
export type { AudioRung, AudioRungSpec, H264Level, H264Profile, Rung, RungSpec, VideoRung, VideoRungSpec } from './rung.js';
export {
  BUFSIZE_FACTOR,
  LADDER_PRESETS,
  MAXRATE_FACTOR,
  PRESET_NAMES,
  defaultBufsizeKbps,
  defaultMaxrateKbps,
  isPresetName,
} from './presets.js';
export type { PresetName } from './presets.js';
export { RUNG_NAME_PATTERN, audioRungSpecSchema, rungSpecSchema, videoRungSpecSchema } from './rung-schema.js';
export type { RungSpecInput } from './rung-schema.js';
export { resolveLadder } from './resolve-ladder.js';
export type { LadderEntry, ResolveLadderErrorCode } from './resolve-ladder.js';
export { trimLadder } from './trim-ladder.js';
export type { LadderProbe, TrimLadderErrorCode, TrimLadderOptions, TrimmedLadder } from './trim-ladder.js';
export { minimumH264Level, higherH264Level } from './h264-level.js';
export type { LevelRequirements } from './h264-level.js';
export {
  capFrameRate,
  frameRateForFfmpeg,
  frameRateForPlaylist,
  framesPerSegment,
  normalizeFrameRate,
} from './frame-rate.js';
export { parseFfprobeJson, parseRational } from './probe.js';
export type { ProbeAudio, ProbeErrorCode, ProbeInfo, ProbeVideo } from './probe.js';
