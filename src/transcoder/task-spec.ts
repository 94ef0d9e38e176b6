/**
 * What a transcoding task is, as clients send it (API, CLI, ingest hooks): one input,
 * live or VOD, a ladder, segment settings, a live window and where the output goes in
 * the store. Parsing fills every default and checks the ladder and timing rules, and
 * returns field-level problems as a value (the API answers 400 with them).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { checkObjectKey } from '../origin-store/index.js';
import { err, ok } from '../core/result.js';
import type { CodedProblem, Result } from '../core/result.js';
import { resolveLadder } from './ladder/resolve-ladder.js';
import type { LadderEntry } from './ladder/resolve-ladder.js';
import { X264_PRESETS, MIN_LIVE_WINDOW_SEGMENTS } from './ffmpeg-args/transcode-options.js';
import { DEFAULT_PART_TARGET_SEC } from './low-latency/part-timing.js';

/** Task ids become Redis keys, BullMQ job ids, store prefixes and directory names. */
export const TASK_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Schemes ffmpeg reads that a task may name; live ones default the task to live. */
const LIVE_SCHEMES = ['rtmp', 'rtmps', 'srt', 'rtsp', 'rtsps', 'udp', 'tcp'];
const FILE_SCHEMES = ['http', 'https', 'file'];

const inputUrl = z.string().refine((url) => [...LIVE_SCHEMES, ...FILE_SCHEMES].includes(schemeOf(url) ?? ''), {
  message: `must be a URL with one of the schemes ${[...LIVE_SCHEMES, ...FILE_SCHEMES].join(', ')}`,
});

const testSource = z.strictObject({
  kind: z.literal('testsrc'),
  /** @defaultValue 1280 */
  width: z.int().min(16).max(3840).multipleOf(2).default(1280),
  /** @defaultValue 720 */
  height: z.int().min(16).max(2160).multipleOf(2).default(720),
  /** @defaultValue 30 */
  fps: z.number().min(1).max(120).default(30),
  /** Burn a wall clock into the picture (for latency checks). @defaultValue true */
  clock: z.boolean().default(true),
  /** @defaultValue 1000 */
  toneHz: z.number().min(20).max(20_000).default(1000),
  /** Stop after this long; endless when absent. */
  durationSec: z.number().positive().max(86_400).optional(),
});

const ladderEntry = z.union([z.string().min(1), z.record(z.string(), z.unknown())]);

const storePrefix = z
  .string()
  .min(1)
  .max(512)
  .refine((prefix) => checkObjectKey(`${prefix.replace(/\/+$/, '')}/x`).ok && !prefix.startsWith('/'), {
    message: 'must be a relative store key prefix such as live/demo',
  });

export const taskSpecSchema = z
  .strictObject({
    /** Generated when absent. */
    id: z.string().regex(TASK_ID_PATTERN, 'letters, digits, "_" and "-", up to 64, starting with a letter or digit').optional(),
    input: z.union([inputUrl, testSource]),
    /** @defaultValue live for rtmp/srt/rtsp/udp/tcp inputs and endless test sources, else vod */
    mode: z.enum(['live', 'vod']).optional(),
    /** Preset names ("720p") and/or custom rungs. @defaultValue ['720p', '480p', '360p'] */
    ladder: z.array(ladderEntry).min(1).max(10).default(['720p', '480p', '360p']),
    segment: z
      .strictObject({
        /** @defaultValue 2 */
        durationSec: z.number().min(0.5).max(30).default(2),
        /** @defaultValue 'fmp4' with lowLatency, else 'ts' */
        type: z.enum(['ts', 'fmp4']).optional(),
      })
      .prefault({}),
    /** Live: seconds of past content the playlists keep. @defaultValue 30 */
    dvrWindowSec: z
      .number()
      .positive()
      .max(6 * 3600)
      .default(30),
    /** Store prefix of the output. @defaultValue `live/<id>` or `vod/<id>` */
    outputPrefix: storePrefix.optional(),
    /** @defaultValue 'veryfast' */
    encoderPreset: z.enum(X264_PRESETS).default('veryfast'),
    /**
     * Low-latency HLS (RFC 8216bis parts, preload hints, blocking reload): `true` or the
     * part target. Live only, fMP4 only (CMAF parts). @defaultValue off
     */
    lowLatency: z
      .union([
        z.boolean(),
        z.strictObject({
          /** Wanted part length; the transcoder rounds it to whole frames dividing a segment. @defaultValue 0.4 */
          partTargetSec: z.number().min(0.1).max(2).default(DEFAULT_PART_TARGET_SEC),
        }),
      ])
      .optional(),
    /** Network inputs fail after this long without data (the supervisor then restarts them). @defaultValue 10 */
    networkTimeoutSec: z.number().positive().max(600).default(10),
  })
  .superRefine((spec, context) => {
    const ladder = resolveLadder(spec.ladder as LadderEntry[]);
    if (!ladder.ok) context.addIssue({ code: 'custom', path: ['ladder'], message: ladder.error.message });
    const live = isLive(spec);
    const minimum = spec.segment.durationSec * MIN_LIVE_WINDOW_SEGMENTS;
    const lowLatency = spec.lowLatency !== undefined && spec.lowLatency !== false;
    if (lowLatency && !live) {
      context.addIssue({ code: 'custom', path: ['lowLatency'], message: 'low latency is for live tasks only (mode "live")' });
    }
    if (lowLatency && spec.segment.type === 'ts') {
      context.addIssue({
        code: 'custom',
        path: ['segment', 'type'],
        message: 'low latency needs fMP4 segments (CMAF parts): leave segment.type out or set it to "fmp4"',
      });
    }
    if (live && spec.dvrWindowSec < minimum) {
      context.addIssue({
        code: 'custom',
        path: ['dvrWindowSec'],
        message: `must hold at least ${MIN_LIVE_WINDOW_SEGMENTS} segments (>= ${minimum} s; RFC 8216 6.2.2)`,
      });
    }
  });

export type TaskSpecInput = z.input<typeof taskSpecSchema>;
export type TestSourceSpec = z.output<typeof testSource>;

/** A task with every default filled in. */
export interface TaskSpec {
  readonly id: string;
  readonly input: string | TestSourceSpec;
  readonly mode: 'live' | 'vod';
  readonly ladder: readonly LadderEntry[];
  readonly segment: { readonly durationSec: number; readonly type: 'ts' | 'fmp4' };
  /** Present when the task makes low-latency HLS. */
  readonly lowLatency?: { readonly partTargetSec: number };
  readonly dvrWindowSec: number;
  readonly outputPrefix: string;
  readonly encoderPreset: (typeof X264_PRESETS)[number];
  readonly networkTimeoutSec: number;
}

export interface TaskSpecProblem {
  /** Dotted path of the field, e.g. "segment.durationSec" ("" for the whole spec). */
  readonly field: string;
  readonly message: string;
}

export interface InvalidTaskSpec extends CodedProblem<'invalid-task-spec'> {
  readonly problems: readonly TaskSpecProblem[];
}

export interface ParseTaskSpecOptions {
  /** @defaultValue a random UUID without dashes, shortened to 16 characters */
  readonly newId?: () => string;
}

export function parseTaskSpec(input: unknown, options: ParseTaskSpecOptions = {}): Result<TaskSpec, InvalidTaskSpec> {
  const parsed = taskSpecSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.'), message: issue.message }));
    return err({
      code: 'invalid-task-spec',
      message: `invalid task: ${problems.map((p) => `${p.field || '(task)'}: ${p.message}`).join('; ')}`,
      problems,
    });
  }
  const spec = parsed.data;
  const id = spec.id ?? (options.newId ?? defaultId)();
  const mode = isLive(spec) ? 'live' : 'vod';
  const lowLatency =
    spec.lowLatency === true
      ? { partTargetSec: DEFAULT_PART_TARGET_SEC }
      : spec.lowLatency === false || spec.lowLatency === undefined
        ? undefined
        : spec.lowLatency;
  return ok({
    id,
    input: spec.input,
    mode,
    ladder: spec.ladder as LadderEntry[],
    segment: { durationSec: spec.segment.durationSec, type: spec.segment.type ?? (lowLatency ? 'fmp4' : 'ts') },
    ...(lowLatency ? { lowLatency } : {}),
    dvrWindowSec: spec.dvrWindowSec,
    outputPrefix: (spec.outputPrefix ?? `${mode}/${id}`).replace(/\/+$/, ''),
    encoderPreset: spec.encoderPreset,
    networkTimeoutSec: spec.networkTimeoutSec,
  });
}

function isLive(spec: { readonly mode?: 'live' | 'vod'; readonly input: string | { readonly durationSec?: number } }): boolean {
  if (spec.mode !== undefined) return spec.mode === 'live';
  if (typeof spec.input !== 'string') return spec.input.durationSec === undefined;
  return LIVE_SCHEMES.includes(schemeOf(spec.input) ?? '');
}

function schemeOf(url: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
}

function defaultId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 16);
}
