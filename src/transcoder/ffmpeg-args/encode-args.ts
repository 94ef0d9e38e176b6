/**
 * The encoding half of the ffmpeg argv: one decode, one `split`, one `scale` per video
 * rung, per-rung x264 rate control, one AAC encode per variant that carries audio, and
 * the -var_stream_map that groups output streams into variants named after the rungs.
 */
import { frameRateForFfmpeg, framesPerSegment } from '../ladder/frame-rate.js';
import type { Rung, VideoRung } from '../ladder/rung.js';
import type { X264Preset } from './transcode-options.js';

export interface EncodeArgsOptions {
  readonly rungs: readonly Rung[];
  /** Output frame rate; unused when no rung has video. */
  readonly fps: number | undefined;
  readonly segmentDurationSec: number;
  readonly encoderPreset: X264Preset;
  /** Low latency: x264 without lookahead or B-frames (about 0.5 s less encoder delay). */
  readonly zeroLatency?: boolean;
  /** Stream specifiers from the input args. */
  readonly video: string;
  readonly audio: string;
}

export interface EncodeArgs {
  readonly args: string[];
  /** Value of -var_stream_map: one space-separated group per rung, in rung order. */
  readonly varStreamMap: string;
}

export function buildEncodeArgs(options: EncodeArgsOptions): EncodeArgs {
  const videoRungs = options.rungs.filter((r): r is VideoRung => r.kind === 'video');
  const fps = options.fps;
  const args: string[] = [];

  if (videoRungs.length > 0) {
    if (fps === undefined) throw new RangeError('buildEncodeArgs: video rungs need an output frame rate');
    args.push('-filter_complex', videoFilterGraph(options.video, videoRungs, fps));
  }

  // Output streams are numbered per type in -map order; the same counters number the
  // per-stream options (-b:v:1) and the var_stream_map entries (v:1).
  const groups: string[] = [];
  const videoOptions: string[] = [];
  const audioOptions: string[] = [];
  let videoIndex = 0;
  let audioIndex = 0;
  for (const rung of options.rungs) {
    const members: string[] = [];
    if (rung.kind === 'video') {
      args.push('-map', `[v${videoIndex}]`);
      videoOptions.push(...videoRateArgs(videoIndex, rung));
      members.push(`v:${videoIndex}`);
      videoIndex += 1;
    }
    const audioKbps = rung.audioBitrateKbps;
    if (audioKbps !== undefined) {
      // One AAC encode per variant: hlsenc refuses to put the same output stream in two
      // variants ("Same elementary stream found more than once"), and rungs differ in audio bitrate.
      args.push('-map', options.audio);
      audioOptions.push(`-b:a:${audioIndex}`, `${audioKbps}k`);
      members.push(`a:${audioIndex}`);
      audioIndex += 1;
    }
    groups.push([...members, `name:${rung.name}`].join(','));
  }

  if (videoIndex > 0 && fps !== undefined) {
    const gop = String(framesPerSegment(fps, options.segmentDurationSec));
    args.push(
      '-c:v',
      'libx264',
      '-preset',
      options.encoderPreset,
      ...(options.zeroLatency === true ? ['-tune', 'zerolatency'] : []),
      // Aligned GOPs across rungs: a fixed GOP of one segment, no scene-cut keyframes,
      // and a keyframe forced at every segment boundary so all rungs cut at the same time.
      '-g',
      gop,
      '-keyint_min',
      gop,
      '-sc_threshold',
      '0',
      '-force_key_frames',
      `expr:gte(t,n_forced*${options.segmentDurationSec})`,
      ...videoOptions,
    );
  }
  if (audioIndex > 0) {
    args.push('-c:a', 'aac', '-ac', '2', '-ar', '48000', ...audioOptions);
  }
  return { args, varStreamMap: groups.join(' ') };
}

/**
 * `[in]fps=R,format=yuv420p,split=N[s0][s1]...;[s0]scale=W:H,setsar=1[v0];...`
 * The rate and pixel format are fixed once, before the split, so every rung sees the
 * same frames with the same timestamps (the condition for aligned keyframes) and the
 * conversion runs once. setsar=1: the rung sizes already carry the display aspect ratio.
 */
function videoFilterGraph(input: string, rungs: readonly VideoRung[], fps: number): string {
  const splitOutputs = rungs.map((_, i) => `[s${i}]`).join('');
  const head = `[${input}]fps=${frameRateForFfmpeg(fps)},format=yuv420p,split=${rungs.length}${splitOutputs}`;
  const scales = rungs.map((rung, i) => `[s${i}]scale=${rung.width}:${rung.height},setsar=1[v${i}]`);
  return [head, ...scales].join(';');
}

function videoRateArgs(index: number, rung: VideoRung): string[] {
  return [
    `-b:v:${index}`,
    `${rung.videoBitrateKbps}k`,
    `-maxrate:v:${index}`,
    `${rung.maxrateKbps}k`,
    `-bufsize:v:${index}`,
    `${rung.bufsizeKbps}k`,
    `-profile:v:${index}`,
    rung.profile,
    `-level:v:${index}`,
    rung.level,
  ];
}
