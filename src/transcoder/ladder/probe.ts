/**
 * Reads what the ladder needs to know about an input from the JSON printed by
 * `ffprobe -print_format json -show_streams -show_format`.
 */
import { z } from 'zod';
import { fail, ok } from '../../core/result.js';
import type { CodedProblem, Result } from '../../core/result.js';

export interface ProbeVideo {
  readonly codec: string | undefined;
  /** Displayed width: coded width x sample aspect ratio, swapped with height when rotated 90 degrees. */
  readonly width: number;
  /** Displayed height (see width). */
  readonly height: number;
  /** Measured frame rate as ffprobe reports it (not snapped), e.g. 29.97002997. */
  readonly fps: number;
  readonly codedWidth: number;
  readonly codedHeight: number;
  /** Display rotation in degrees from the display matrix; ffmpeg applies it when decoding. */
  readonly rotation: number;
}

export interface ProbeAudio {
  readonly codec: string | undefined;
  readonly channels: number;
  readonly sampleRate: number;
}

export interface ProbeInfo {
  readonly video?: ProbeVideo;
  readonly audio?: ProbeAudio;
  /** Undefined for live sources and for files whose container does not say. */
  readonly durationSec?: number;
  readonly formatName?: string;
}

export type ProbeErrorCode = 'invalid-json' | 'invalid-probe' | 'no-media-streams';

// ffprobe prints numbers as JSON numbers for some fields and as strings for others
// (sample_rate, duration): accept both and read them with parseNumber.
const numberish = z.union([z.number(), z.string()]);

const streamSchema = z.object({
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  sample_aspect_ratio: z.string().optional(),
  r_frame_rate: z.string().optional(),
  avg_frame_rate: z.string().optional(),
  channels: z.number().optional(),
  sample_rate: numberish.optional(),
  duration: numberish.optional(),
  disposition: z.object({ attached_pic: z.number().optional() }).optional(),
  tags: z.record(z.string(), z.unknown()).optional(),
  side_data_list: z.array(z.object({ rotation: z.number().optional() })).optional(),
});

const probeSchema = z.object({
  streams: z.array(streamSchema).default([]),
  format: z
    .object({
      format_name: z.string().optional(),
      duration: numberish.optional(),
    })
    .optional(),
});

type FfprobeStream = z.infer<typeof streamSchema>;

/** Accepts the JSON text (a string) or the already parsed value. */
export function parseFfprobeJson(json: unknown): Result<ProbeInfo, CodedProblem<ProbeErrorCode>> {
  let data: unknown = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json);
    } catch (cause) {
      return fail('invalid-json', `ffprobe output is not JSON: ${(cause as Error).message}`);
    }
  }
  const parsed = probeSchema.safeParse(data);
  if (!parsed.success) {
    return fail('invalid-probe', `unexpected ffprobe output: ${z.prettifyError(parsed.error)}`);
  }

  const { streams, format } = parsed.data;
  const videoStream = streams.find((stream) => readVideo(stream) !== undefined);
  const video = videoStream && readVideo(videoStream);
  const audio = streams.map(readAudio).find((info) => info !== undefined);
  if (video === undefined && audio === undefined) {
    return fail('no-media-streams', 'the input has no decodable video or audio stream');
  }

  const durationSec = positive(parseNumber(format?.duration)) ?? positive(parseNumber(videoStream?.duration));
  return ok({
    ...(video && { video }),
    ...(audio && { audio }),
    ...(durationSec !== undefined && { durationSec }),
    ...(format?.format_name !== undefined && { formatName: format.format_name }),
  });
}

function readVideo(stream: FfprobeStream): ProbeVideo | undefined {
  if (stream.codec_type !== 'video') return undefined;
  // Cover art in MP3/M4A files is a one-frame "video" stream flagged attached_pic.
  if (stream.disposition?.attached_pic === 1) return undefined;
  const codedWidth = positive(stream.width);
  const codedHeight = positive(stream.height);
  // avg_frame_rate is the real rate of variable-rate files; r_frame_rate is the
  // timebase-derived guess ffmpeg falls back on (it reads 50 for 25i, 90000 for odd VFR).
  const fps = parseRational(stream.avg_frame_rate) ?? parseRational(stream.r_frame_rate);
  if (codedWidth === undefined || codedHeight === undefined || fps === undefined) return undefined;

  const sar = parseRational(stream.sample_aspect_ratio?.replace(':', '/')) ?? 1;
  const rotation = readRotation(stream);
  const displayWidth = Math.round(codedWidth * sar);
  const quarterTurn = Math.abs(rotation) % 180 === 90;
  return {
    codec: stream.codec_name,
    width: quarterTurn ? codedHeight : displayWidth,
    height: quarterTurn ? displayWidth : codedHeight,
    fps,
    codedWidth,
    codedHeight,
    rotation,
  };
}

function readAudio(stream: FfprobeStream): ProbeAudio | undefined {
  if (stream.codec_type !== 'audio') return undefined;
  const channels = positive(stream.channels);
  const sampleRate = positive(parseNumber(stream.sample_rate));
  if (channels === undefined || sampleRate === undefined) return undefined;
  return { codec: stream.codec_name, channels, sampleRate };
}

/** ffmpeg >= 5 reports rotation in the display matrix side data; older files carry a `rotate` tag. */
function readRotation(stream: FfprobeStream): number {
  const fromMatrix = stream.side_data_list?.find((entry) => entry.rotation !== undefined)?.rotation;
  if (fromMatrix !== undefined) return fromMatrix;
  const tag = stream.tags?.['rotate'];
  return typeof tag === 'string' ? (parseNumber(tag) ?? 0) : 0;
}

/** "30000/1001" -> 29.97...; "0/0", "N/A" and zero -> undefined. */
export function parseRational(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(\d+(?:\.\d+)?))?\s*$/.exec(text);
  if (!match) return undefined;
  const numerator = Number(match[1]);
  const denominator = match[2] === undefined ? 1 : Number(match[2]);
  if (numerator === 0 || denominator === 0) return undefined;
  return numerator / denominator;
}

/** A JSON number or a numeric string ("596.480000"); "N/A" and "" are undefined. */
function parseNumber(value: number | string | undefined): number | undefined {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && value > 0 ? value : undefined;
}
