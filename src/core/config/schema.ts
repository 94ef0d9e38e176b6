/**
 * The one configuration schema of every hlscdn service. Each section is the
 * typed options object its component receives; nothing below the CLI reads
 * process.env. Environment names are derived from the paths (see env.ts):
 * `origin.port` <- HLSCDN_ORIGIN_PORT, `store.s3.forcePathStyle` <- HLSCDN_STORE_S3_FORCE_PATH_STYLE.
 */
import { z } from 'zod';
import { secretString } from './secret.js';

const port = z.int().min(0).max(65535);
const host = z.string().min(1);

export const logSchema = z.object({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

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
      segmentMaxAgeSec: z.int().min(1).default(7 * 24 * 3600),
    })
    .prefault({}),
});

export const originSchema = z.object({
  host: host.default('127.0.0.1'),
  port: port.default(8080),
  /** Access-Control-Allow-Origin on every response. */
  corsOrigin: z.string().min(1).default('*'),
});

export const redisSchema = z.object({
  /** Empty: the local stack spawns a private redis-server. */
  url: z.string().regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL').optional(),
  username: z.string().min(1).optional(),
  password: secretString().optional(),
  keyPrefix: z.string().regex(/^[A-Za-z0-9:_-]+$/, 'letters, digits, ":", "_" and "-" only').default('hlscdn'),
});

export const apiSchema = z.object({
  /** Bearer token of the control APIs. Without one, control APIs refuse every request. */
  token: secretString().optional(),
});

export const configSchema = z.object({
  log: logSchema.prefault({}),
  store: storeSchema.prefault({}),
  origin: originSchema.prefault({}),
  redis: redisSchema.prefault({}),
  api: apiSchema.prefault({}),
});

export type HlscdnConfig = z.infer<typeof configSchema>;
export type StoreConfig = HlscdnConfig['store'];
export type OriginConfig = HlscdnConfig['origin'];
export type RedisConfig = HlscdnConfig['redis'];
