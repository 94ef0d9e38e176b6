/**
 * The `store` and `origin` sections of the configuration: where objects live
 * (a filesystem directory or an S3 bucket) and where the origin server listens.
 */
import { z } from 'zod';
import { hostSchema, portSchema, secretString } from '../core/config/index.js';

export const storeSchema = z.object({
  /** `file:./data/store`, `file:/abs/dir` or `s3://bucket/prefix`. */
  url: z.string().min(1).default('file:./data/store'),
  s3: z
    .object({
      endpoint: z.url().optional(),
      region: z.string().min(1).default('us-east-1'),
      /** Needed by most non-AWS endpoints (MinIO, s3rver...). */
      forcePathStyle: z.boolean().default(false),
      /** WHEN_REQUIRED for S3-compatible servers that reject the SDK's default CRC32 checksums. */
      checksum: z.enum(['WHEN_SUPPORTED', 'WHEN_REQUIRED']).default('WHEN_SUPPORTED'),
      accessKeyId: z.string().min(1).optional(),
      secretAccessKey: secretString().optional(),
      sessionToken: secretString().optional(),
      multipartThresholdMiB: z.number().min(5).max(5120).default(8),
      maxAttempts: z.int().min(1).max(20).default(5),
    })
    .prefault({}),
  cache: z
    .object({
      playlistMaxAgeSec: z.int().min(0).max(60).default(1),
      segmentMaxAgeSec: z
        .int()
        .min(1)
        .default(7 * 24 * 3600),
    })
    .prefault({}),
});

export const originSchema = z.object({
  host: hostSchema.default('127.0.0.1'),
  port: portSchema.default(8080),
  /** Access-Control-Allow-Origin on every response. */
  corsOrigin: z.string().min(1).default('*'),
  /** LL-HLS blocking requests (docs/origin-store.md, "Low-latency HLS"). */
  lowLatency: z
    .object({
      /** How often a key that requests wait on is checked (one HEAD) when writers are in another process. */
      pollIntervalMs: z.int().min(5).max(5_000).default(50),
      /** Requests held at once (playlists and hinted parts); beyond it, 503. */
      maxWaiters: z.int().min(1).max(1_000_000).default(10_000),
    })
    .prefault({}),
});

export type StoreConfig = z.infer<typeof storeSchema>;
export type OriginConfig = z.infer<typeof originSchema>;
