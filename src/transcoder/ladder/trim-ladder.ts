/**
 * Fits a requested ladder to one input: never upscale, keep the aspect ratio with even
 * dimensions, drop what the input cannot feed (video rungs without video, audio without
 * audio), cap the frame rate and raise H.264 levels to what each rung needs.
 */
import { fail, ok } from '../../core/result.js';
import type { CodedProblem, Result } from '../../core/result.js';
import { capFrameRate, normalizeFrameRate } from './frame-rate.js';
import { higherH264Level, minimumH264Level } from './h264-level.js';
import { LADDER_PRESETS } from './presets.js';
import type { AudioRung, Rung, RungSpec, VideoRung, VideoRungSpec } from './rung.js';

/** The part of a probe the ladder depends on; a ProbeInfo from parseFfprobeJson fits. */
export interface LadderProbe {
  readonly video?: { readonly width: number; readonly height: number; readonly fps: number };
  readonly audio?: { readonly channels: number; readonly sampleRate: number };
}

export interface TrimLadderOptions {
  /**
   * Highest output frame rate; faster inputs are divided down by a whole number.
   * @defaultValue 60
   */
  readonly maxFps?: number;
}

export interface TrimmedLadder {
  /** Video rungs in the order requested, then audio-only rungs. */
  readonly rungs: Rung[];
  /** Output frame rate shared by every video rung (aligned GOPs need one rate); undefined without video. */
  readonly fps: number | undefined;
}

export type TrimLadderErrorCode = 'invalid-probe' | 'nothing-to-encode' | 'level-exceeded';

export function trimLadder(
  specs: readonly RungSpec[],
  probe: LadderProbe,
  options: TrimLadderOptions = {},
): Result<TrimmedLadder, CodedProblem<TrimLadderErrorCode>> {
  const { video, audio } = probe;
  if (video && !(isPositive(video.width) && isPositive(video.height) && isPositive(video.fps))) {
    return fail(
      'invalid-probe',
      `input video must have positive width, height and fps (got ${video.width}x${video.height} @ ${video.fps})`,
    );
  }

  const hasAudio = audio !== undefined;
  let audioRungs: AudioRung[] = hasAudio ? specs.filter((s): s is AudioRung => s.kind === 'audio') : [];
  const videoSpecs = video ? specs.filter((s): s is VideoRungSpec => s.kind === 'video') : [];

  // An audio-only input fed to a video ladder still deserves an output.
  if (!video && hasAudio && audioRungs.length === 0) audioRungs = [LADDER_PRESETS['audio-only']];

  if (!video || videoSpecs.length === 0) {
    if (audioRungs.length === 0) {
      return fail('nothing-to-encode', describeNothing(specs, probe));
    }
    return ok({ rungs: audioRungs, fps: undefined });
  }

  const fps = capFrameRate(normalizeFrameRate(video.fps), options.maxFps ?? 60);
  const inputShort = Math.min(video.width, video.height);
  let kept = videoSpecs.filter((spec) => spec.height <= inputShort);
  if (kept.length === 0) kept = [shrinkToInput(smallest(videoSpecs), inputShort)];

  const rungs: Rung[] = [];
  for (const spec of kept) {
    const sized = sizeRung(spec, video, hasAudio);
    const needed = minimumH264Level({ ...sized, fps });
    if (needed === undefined) {
      return fail('level-exceeded', `rung "${spec.name}" (${sized.width}x${sized.height} @ ${fps.toFixed(3)} fps) exceeds H.264 level 5.2`);
    }
    rungs.push({ ...sized, level: higherH264Level(spec.level, needed) });
  }
  rungs.push(...audioRungs);
  return ok({ rungs, fps });
}

/**
 * Dimensions for one rung: the spec's height is the short side, rounded down to even;
 * the long side follows the input's aspect ratio, rounded to even (4:2:0 chroma needs
 * even sizes) without exceeding the input.
 */
function sizeRung(spec: VideoRungSpec, input: { readonly width: number; readonly height: number }, hasAudio: boolean): VideoRung {
  const inputShort = Math.min(input.width, input.height);
  const inputLong = Math.max(input.width, input.height);
  const short = floorEven(spec.height);
  const long = Math.min(roundEven((short * inputLong) / inputShort), Math.max(2, floorEven(inputLong)));
  const portrait = input.height > input.width;
  return {
    kind: 'video',
    name: spec.name,
    width: portrait ? short : long,
    height: portrait ? long : short,
    videoBitrateKbps: spec.videoBitrateKbps,
    maxrateKbps: spec.maxrateKbps,
    bufsizeKbps: spec.bufsizeKbps,
    audioBitrateKbps: hasAudio ? spec.audioBitrateKbps : undefined,
    profile: spec.profile,
    level: spec.level,
  };
}

/**
 * The input is smaller than every rung: keep the smallest rung at the input's own size,
 * with bitrates scaled by the pixel count so a 144p input does not get 240p's budget.
 * A name derived from the height ("240p") follows the new height.
 */
function shrinkToInput(spec: VideoRungSpec, inputShort: number): VideoRungSpec {
  const height = Math.max(2, floorEven(inputShort));
  const area = (height / spec.height) ** 2;
  const scale = (kbps: number): number => Math.max(1, Math.round(kbps * area));
  return {
    ...spec,
    name: spec.name === `${spec.height}p` ? `${height}p` : spec.name,
    height,
    videoBitrateKbps: scale(spec.videoBitrateKbps),
    maxrateKbps: scale(spec.maxrateKbps),
    bufsizeKbps: scale(spec.bufsizeKbps),
  };
}

function smallest(specs: readonly VideoRungSpec[]): VideoRungSpec {
  return specs.reduce((a, b) => (b.height < a.height ? b : a));
}

function describeNothing(specs: readonly RungSpec[], probe: LadderProbe): string {
  const has = [probe.video && 'video', probe.audio && 'audio'].filter(Boolean).join(' and ') || 'no streams';
  const wants = [...new Set(specs.map((s) => s.kind))].join(' and ') || 'no rungs';
  return `the input has ${has} but the ladder asks for ${wants}: no rung can be encoded`;
}

function floorEven(n: number): number {
  return 2 * Math.floor(n / 2);
}

function roundEven(n: number): number {
  return 2 * Math.round(n / 2);
}

function isPositive(n: number): boolean {
  return Number.isFinite(n) && n > 0;
}
