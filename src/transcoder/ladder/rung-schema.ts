/**
 * zod schema for a custom rung given in configuration. Parsing fills the defaults
 * (maxrate, bufsize, audio bitrate, profile, level) so the output is a full RungSpec.
 */
import { z } from 'zod';
import { defaultBufsizeKbps, defaultMaxrateKbps } from './presets.js';
import { H264_LEVELS } from './rung.js';
import type { AudioRungSpec, VideoRungSpec } from './rung.js';

/**
 * Rung names become directory names and `name:` entries of ffmpeg's `-var_stream_map`,
 * where spaces and commas separate entries and `%` starts a pattern: allow only
 * characters that are safe in all three places.
 */
export const RUNG_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

const rungName = z.string().regex(RUNG_NAME_PATTERN, {
  message: 'rung name must be 1-32 letters, digits, "_" or "-", starting with a letter or digit',
});

const kbps = z.number().int().positive();

export const videoRungSpecSchema = z
  .object({
    kind: z.literal('video'),
    name: rungName,
    /** Short side in pixels (720 for 1280x720 and for 720x1280); odd values are rounded down to even. */
    height: z.number().int().min(16).max(4320),
    videoBitrateKbps: kbps,
    /** @defaultValue 1.07 x videoBitrateKbps */
    maxrateKbps: kbps.optional(),
    /** @defaultValue 1.5 x videoBitrateKbps */
    bufsizeKbps: kbps.optional(),
    /** @defaultValue 128 */
    audioBitrateKbps: kbps.default(128),
    /** @defaultValue 'high' */
    profile: z.enum(['baseline', 'main', 'high']).default('high'),
    /** @defaultValue '3.0' (raised to what the size and frame rate need) */
    level: z.enum(H264_LEVELS).default('3.0'),
  })
  .strict()
  .transform((rung): VideoRungSpec => ({
    ...rung,
    maxrateKbps: rung.maxrateKbps ?? defaultMaxrateKbps(rung.videoBitrateKbps),
    bufsizeKbps: rung.bufsizeKbps ?? defaultBufsizeKbps(rung.videoBitrateKbps),
  }))
  .refine((rung) => rung.maxrateKbps >= rung.videoBitrateKbps, {
    message: 'maxrateKbps must not be below videoBitrateKbps',
    path: ['maxrateKbps'],
  });

export const audioRungSpecSchema = z
  .object({
    kind: z.literal('audio'),
    name: rungName,
    audioBitrateKbps: kbps,
  })
  .strict()
  .transform((rung): AudioRungSpec => rung);

export const rungSpecSchema = z.discriminatedUnion('kind', [videoRungSpecSchema, audioRungSpecSchema]);

/** A custom rung as written in configuration, before defaults are filled in. */
export type RungSpecInput = z.input<typeof rungSpecSchema>;
