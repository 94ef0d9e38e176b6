/**
 * The shapes of an ABR ladder: what a user asks for (a rung spec, height only) and
 * what gets encoded (a rung with concrete dimensions, after trimming to the input).
 */

export type H264Profile = 'baseline' | 'main' | 'high';

/** H.264 levels (ITU-T H.264 Annex A, Table A-1) in the spelling x264 accepts. Level 1b is left out. */
export const H264_LEVELS = [
  '1.0',
  '1.1',
  '1.2',
  '1.3',
  '2.0',
  '2.1',
  '2.2',
  '3.0',
  '3.1',
  '3.2',
  '4.0',
  '4.1',
  '4.2',
  '5.0',
  '5.1',
  '5.2',
] as const;

export type H264Level = (typeof H264_LEVELS)[number];

/**
 * A video rung as requested. `height` is the short side of the picture, so "720p" means
 * 1280x720 for a landscape input and 720x1280 for a portrait one.
 */
export interface VideoRungSpec {
  readonly kind: 'video';
  /** Directory and variant name: letters, digits, `_` and `-`. */
  readonly name: string;
  readonly height: number;
  readonly videoBitrateKbps: number;
  readonly maxrateKbps: number;
  readonly bufsizeKbps: number;
  /** Bitrate of the AAC track muxed into this variant (dropped when the input has no audio). */
  readonly audioBitrateKbps: number;
  readonly profile: H264Profile;
  /** Lowest level to signal; raised when the size and frame rate need more. */
  readonly level: H264Level;
}

/** An audio-only variant (AAC), listed last in the master playlist. */
export interface AudioRungSpec {
  readonly kind: 'audio';
  readonly name: string;
  readonly audioBitrateKbps: number;
}

export type RungSpec = VideoRungSpec | AudioRungSpec;

/** A video rung ready to encode: even width and height that keep the input's aspect ratio. */
export interface VideoRung {
  readonly kind: 'video';
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly videoBitrateKbps: number;
  readonly maxrateKbps: number;
  readonly bufsizeKbps: number;
  /** Undefined when the input has no audio: the variant then carries video only. */
  readonly audioBitrateKbps: number | undefined;
  readonly profile: H264Profile;
  readonly level: H264Level;
}

export type AudioRung = AudioRungSpec;

export type Rung = VideoRung | AudioRung;

export function isVideoRung<R extends { readonly kind: string }>(rung: R): rung is Extract<R, { kind: 'video' }> {
  return rung.kind === 'video';
}

export function isAudioRung<R extends { readonly kind: string }>(rung: R): rung is Extract<R, { kind: 'audio' }> {
  return rung.kind === 'audio';
}
