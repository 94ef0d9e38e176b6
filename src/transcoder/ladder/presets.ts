/**
 * Built-in ladder rungs. Bitrates follow the usual H.264 ladder shape (Apple HLS
 * authoring spec, PeerTube defaults); maxrate is about 1.07x and bufsize 1.5x the
 * average so the VBV allows short peaks without blowing the variant's BANDWIDTH.
 */
import type { AudioRungSpec, VideoRungSpec } from './rung.js';

/** Peak rate relative to the average bitrate. */
export const MAXRATE_FACTOR = 1.07;
/** VBV buffer relative to the average bitrate (1.5 s of video at the average rate). */
export const BUFSIZE_FACTOR = 1.5;

export function defaultMaxrateKbps(videoBitrateKbps: number): number {
  return Math.round(videoBitrateKbps * MAXRATE_FACTOR);
}

export function defaultBufsizeKbps(videoBitrateKbps: number): number {
  return Math.round(videoBitrateKbps * BUFSIZE_FACTOR);
}

function videoPreset(spec: Omit<VideoRungSpec, 'kind' | 'maxrateKbps' | 'bufsizeKbps'>): VideoRungSpec {
  return {
    kind: 'video',
    ...spec,
    maxrateKbps: defaultMaxrateKbps(spec.videoBitrateKbps),
    bufsizeKbps: defaultBufsizeKbps(spec.videoBitrateKbps),
  };
}

const AUDIO_ONLY: AudioRungSpec = { kind: 'audio', name: 'audio-only', audioBitrateKbps: 64 };

export const LADDER_PRESETS = {
  '1080p': videoPreset({ name: '1080p', height: 1080, videoBitrateKbps: 5000, audioBitrateKbps: 128, profile: 'high', level: '4.0' }),
  '720p': videoPreset({ name: '720p', height: 720, videoBitrateKbps: 2800, audioBitrateKbps: 128, profile: 'high', level: '3.1' }),
  '480p': videoPreset({ name: '480p', height: 480, videoBitrateKbps: 1400, audioBitrateKbps: 128, profile: 'main', level: '3.1' }),
  '360p': videoPreset({ name: '360p', height: 360, videoBitrateKbps: 800, audioBitrateKbps: 96, profile: 'main', level: '3.0' }),
  '240p': videoPreset({ name: '240p', height: 240, videoBitrateKbps: 400, audioBitrateKbps: 64, profile: 'baseline', level: '3.0' }),
  'audio-only': AUDIO_ONLY,
} as const satisfies Record<string, VideoRungSpec | AudioRungSpec>;

export type PresetName = keyof typeof LADDER_PRESETS;

export const PRESET_NAMES = Object.keys(LADDER_PRESETS) as PresetName[];

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(LADDER_PRESETS, name);
}
