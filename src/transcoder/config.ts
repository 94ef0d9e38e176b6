/**
 * The `transcoder` section of the configuration (`config.transcoder`): local work
 * directory, ffmpeg binaries, supervision, uploads, workers and their BullMQ failover
 * timing, the control API address and the SRS ingest hooks. The API's bearer token is
 * the shared `api.token`.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { portSchema, secretRegistry } from '../core/config/index.js';
import type { RetryPolicy } from '../core/retry.js';
import type { SessionSettings } from './session/transcode-session.js';
import type { RestartPolicy } from './supervisor/restart-policy.js';

/** Stream keys are secrets: redacted by `config print`, readable from `<VAR>_FILE`. */
const streamKeys = z.array(z.string().min(1));
secretRegistry.add(streamKeys, { secret: true });

export const transcoderSchema = z.object({
  api: z
    .object({
      /** Address of the control API and the ingest hooks. Loopback unless asked. */
      host: z.string().min(1).default('127.0.0.1'),
      port: portSchema.default(8092),
    })
    .prefault({}),
  /** Scratch directory ffmpeg writes into (one sub-directory per running task). */
  workDir: z.string().min(1).default('./data/transcoder'),
  /** ffmpeg binary (a name searched on PATH, or a path). */
  ffmpegPath: z.string().min(1).default('ffmpeg'),
  ffprobePath: z.string().min(1).default('ffprobe'),
  /** Font of the test source's burnt-in clock; when missing the clock is left out. */
  fontFile: z.string().min(1).default('/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf'),
  /** x264 threads per task; ffmpeg's choice when unset. */
  threads: z.int().min(1).max(64).optional(),
  worker: z
    .object({
      /** Shown in task records. @defaultValue "<hostname>-<pid>" */
      id: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/)
        .optional(),
      /** Tasks one worker runs at once; 0 runs only the control API. */
      concurrency: z.int().min(0).max(64).default(1),
      /** BullMQ queue name. */
      queueName: z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/)
        .default('transcode'),
      /**
       * A worker that stops renewing its job lock (it died) loses its tasks after this
       * long; another worker's stalled-job check (every stalledIntervalMs) then requeues
       * them. Failover takes at most lockDurationMs + stalledIntervalMs.
       */
      lockDurationMs: z.int().min(1_000).max(600_000).default(30_000),
      stalledIntervalMs: z.int().min(500).max(600_000).default(15_000),
      /** Failovers a task may go through before BullMQ fails it. */
      maxStalledCount: z.int().min(1).default(1_000),
      /** Backup poll of stop requests (they normally arrive by pub/sub at once). */
      stopPollMs: z.int().min(100).max(60_000).default(2_000),
      /** How often a running task's progress is written to its record. */
      progressIntervalMs: z.int().min(100).max(60_000).default(2_000),
    })
    .prefault({}),
  supervisor: z
    .object({
      /** Failed runs in a row before a task fails. */
      maxAttempts: z.int().min(1).max(1_000).default(6),
      backoffBaseMs: z.int().min(10).max(600_000).default(1_000),
      backoffMaxMs: z.int().min(10).max(3_600_000).default(30_000),
      /** A run this long resets the failure streak. */
      healthyAfterSec: z.number().min(1).default(60),
      /** No output progress for this long is a stall (the run is restarted). */
      stallTimeoutSec: z.number().min(1).max(600).default(20),
      /** SIGINT first; SIGKILL after this long. */
      stopTimeoutSec: z.number().min(1).max(300).default(10),
    })
    .prefault({}),
  upload: z
    .object({
      maxAttempts: z.int().min(1).max(20).default(5),
      baseDelayMs: z.int().min(1).max(60_000).default(200),
      maxDelayMs: z.int().min(1).max(600_000).default(5_000),
    })
    .prefault({}),
  hooks: z
    .object({
      srs: z
        .object({
          /** Serve POST /hooks/srs (SRS http_hooks on_publish/on_unpublish). */
          enabled: z.boolean().default(false),
          /** Where workers pull published streams from: rtmp://<srs>/<app>/<stream> is appended to it. */
          inputBaseUrl: z.url({ protocol: /^rtmps?$/ }).default('rtmp://127.0.0.1:1935'),
          /** Accepted `?key=` values: "KEY" for any stream, "STREAM=KEY" for one stream. Empty refuses every publish. */
          streamKeys: streamKeys.default([]),
          ladder: z.array(z.string().min(1)).min(1).default(['720p', '480p', '360p']),
          segmentSec: z.number().min(0.5).max(30).default(2),
          dvrWindowSec: z.number().positive().default(30),
          /** Store prefix of a stream's output; {app} and {stream} are replaced. */
          outputPrefix: z.string().min(1).default('live/{app}/{stream}'),
        })
        .prefault({}),
    })
    .prefault({}),
});

export type TranscoderConfig = z.infer<typeof transcoderSchema>;

/** The supervision and upload part of the section, as session settings. */
export function sessionSettingsFromConfig(config: TranscoderConfig): SessionSettings {
  const restartPolicy: RestartPolicy = {
    maxAttempts: config.supervisor.maxAttempts,
    backoff: {
      maxAttempts: Number.POSITIVE_INFINITY,
      baseDelayMs: config.supervisor.backoffBaseMs,
      maxDelayMs: config.supervisor.backoffMaxMs,
      jitter: 0.5,
    },
    healthyAfterMs: config.supervisor.healthyAfterSec * 1000,
  };
  const uploadRetry: RetryPolicy = {
    maxAttempts: config.upload.maxAttempts,
    baseDelayMs: config.upload.baseDelayMs,
    maxDelayMs: config.upload.maxDelayMs,
    jitter: 1,
  };
  return {
    restartPolicy,
    stallTimeoutMs: config.supervisor.stallTimeoutSec * 1000,
    stopGraceMs: config.supervisor.stopTimeoutSec * 1000,
    uploadRetry,
    // Without the font, ffmpeg's drawtext would fail the task: the test pattern then runs without its clock.
    ...(existsSync(config.fontFile) && { fontFile: config.fontFile }),
    ...(config.threads === undefined ? {} : { threads: config.threads }),
  };
}
