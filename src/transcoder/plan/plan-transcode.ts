/**
 * Turns a task spec and what the input holds into everything one task runs: the
 * trimmed ladder, the master playlist, and the ffmpeg argv of each run (a restart
 * changes only the start number and the discontinuity). Pure: the probe result and
 * the clock come in as values.
 */
import { buildTranscodeArgs } from '../ffmpeg-args/build-transcode-args.js';
import { validateTranscodeOptions } from '../ffmpeg-args/transcode-options.js';
import type { TranscodeInput, TranscodeOptions } from '../ffmpeg-args/transcode-options.js';
import type { LadderProbe } from '../ladder/trim-ladder.js';
import { trimLadder } from '../ladder/trim-ladder.js';
import { resolveLadder } from '../ladder/resolve-ladder.js';
import type { Rung } from '../ladder/rung.js';
import { planPartTiming } from '../low-latency/part-timing.js';
import type { PartTiming } from '../low-latency/part-timing.js';
import { buildMasterPlaylist } from '../master/build-master-playlist.js';
import { fail, ok } from '../../core/result.js';
import type { CodedProblem, Result } from '../../core/result.js';
import type { TaskSpec, TestSourceSpec } from '../task-spec.js';

export interface PlanTranscodeOptions {
  readonly spec: TaskSpec;
  /** What ffprobe found (see probeForTestSource for test sources). */
  readonly probe: LadderProbe & { readonly durationSec?: number };
  /** ffmpeg's output directory. */
  readonly workDir: string;
  /** TrueType font for a test source's clock; without it the clock is left out. */
  readonly fontFile?: string;
  /** Encoder threads; ffmpeg's choice when absent. */
  readonly threads?: number;
}

export interface RunArgsOptions {
  readonly startNumber: number;
  readonly discontinuity: boolean;
  /** Wall clock at the start of the run, for a test source's burnt-in clock. */
  readonly nowMs: number;
}

export interface TranscodePlan {
  readonly rungs: readonly Rung[];
  readonly fps: number | undefined;
  readonly live: boolean;
  readonly segmentDurationSec: number;
  /** Live: segments per media playlist (ffmpeg's -hls_list_size). */
  readonly windowSegments: number;
  readonly masterPlaylist: string;
  /** VOD: length of the input, for percent and ETA; undefined when unknown. */
  readonly durationSec: number | undefined;
  /** The run ends by itself (VOD, or a live test source with a duration). */
  readonly endsByItself: boolean;
  /** Low latency: how ffmpeg cuts parts (see part-timing.ts); undefined for regular HLS. */
  readonly lowLatency: PartTiming | undefined;
  argsFor(run: RunArgsOptions): string[];
}

export type PlanErrorCode = 'invalid-ladder' | 'ladder-does-not-fit' | 'invalid-options';

export function planTranscode(options: PlanTranscodeOptions): Result<TranscodePlan, CodedProblem<PlanErrorCode>> {
  const { spec } = options;
  const specs = resolveLadder(spec.ladder);
  if (!specs.ok) return fail('invalid-ladder', specs.error.message);
  const trimmed = trimLadder(specs.value, options.probe);
  if (!trimmed.ok) return fail('ladder-does-not-fit', trimmed.error.message);
  const live = spec.mode === 'live';
  const segmentDurationSec = spec.segment.durationSec;
  const lowLatency =
    live && spec.lowLatency ? planPartTiming(trimmed.value.fps, segmentDurationSec, spec.lowLatency.partTargetSec) : undefined;

  const optionsFor = (run: RunArgsOptions): TranscodeOptions => ({
    input: transcodeInput(spec, options.fontFile, run.nowMs),
    rungs: trimmed.value.rungs,
    fps: trimmed.value.fps,
    segment: spec.segment,
    mode: live
      ? {
          kind: 'live',
          dvrWindowSec: spec.dvrWindowSec,
          startNumber: run.startNumber,
          discontinuity: run.discontinuity,
          ...(lowLatency ? { lowLatency: { partDurationSec: lowLatency.partDurationSec } } : {}),
        }
      : { kind: 'vod' },
    outDir: options.workDir,
    encoderPreset: spec.encoderPreset,
    ...(options.threads === undefined ? {} : { threads: options.threads }),
  });
  const checked = validateTranscodeOptions(optionsFor({ startNumber: 0, discontinuity: false, nowMs: 0 }));
  if (!checked.ok) return fail('invalid-options', checked.error.message);

  const testDuration = typeof spec.input === 'string' ? undefined : spec.input.durationSec;
  return ok({
    rungs: trimmed.value.rungs,
    fps: trimmed.value.fps,
    live,
    segmentDurationSec,
    windowSegments: Math.ceil(spec.dvrWindowSec / segmentDurationSec),
    masterPlaylist: buildMasterPlaylist({ rungs: trimmed.value.rungs, fps: trimmed.value.fps, segmentType: spec.segment.type }),
    durationSec: options.probe.durationSec ?? testDuration,
    endsByItself: !live || testDuration !== undefined,
    lowLatency,
    argsFor: (run) => buildTranscodeArgs(optionsFor(run)),
  });
}

/** A test source needs no ffprobe: its picture and tone are what the spec says. */
export function probeForTestSource(input: TestSourceSpec): LadderProbe & { durationSec?: number } {
  return {
    video: { width: input.width, height: input.height, fps: input.fps },
    audio: { channels: 2, sampleRate: 48_000 },
    ...(input.durationSec === undefined ? {} : { durationSec: input.durationSec }),
  };
}

function transcodeInput(spec: TaskSpec, fontFile: string | undefined, nowMs: number): TranscodeInput {
  const input = spec.input;
  if (typeof input === 'string') {
    return { kind: 'url', url: input, live: spec.mode === 'live', networkTimeoutSec: spec.networkTimeoutSec };
  }
  return {
    kind: 'testsrc',
    width: input.width,
    height: input.height,
    fps: input.fps,
    clock: input.clock && fontFile !== undefined,
    toneHz: input.toneHz,
    ...(input.durationSec === undefined ? {} : { durationSec: input.durationSec }),
    ...(input.clock && fontFile !== undefined ? { fontFile, clockEpochMs: nowMs } : {}),
  };
}
