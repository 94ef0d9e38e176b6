/**
 * The one configuration schema of every hlscdn service. Each section is the
 * typed options object its component receives; nothing below the CLI reads
 * process.env. Environment names are derived from the paths (see env.ts):
 * `origin.port` <- HLSCDN_ORIGIN_PORT, `store.s3.forcePathStyle` <- HLSCDN_STORE_S3_FORCE_PATH_STYLE.
 */
import { z } from 'zod';
import { secretString } from './secret.js';
import { autoscalerSchema } from '../../autoscaler/config.js';
import { rewriterSchema } from '../../rewriter/config.js';
import { transcoderSchema } from '../../transcoder/config.js';

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
  /** Redis Sentinel: "host:port" entries; with sentinelName the URL's host is ignored. */
  sentinels: z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'host:port')).optional(),
  sentinelName: z.string().min(1).optional(),
  sentinelPassword: secretString().optional(),
  tls: z.boolean().default(false),
  keyPrefix: z.string().regex(/^[A-Za-z0-9:_-]+$/, 'letters, digits, ":", "_" and "-" only').default('hlscdn'),
});

export const edgeSchema = z.object({
  /** Registry id of this edge. @defaultValue "edge-<port>" */
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lowercase letters, digits, ".", "_" and "-", up to 63').optional(),
  /** Base URL viewers reach this edge at. @defaultValue http://<host>:<port> */
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  zone: z.string().min(1).max(64).optional(),
  /** Viewer-facing address. Loopback unless asked. */
  host: host.default('127.0.0.1'),
  port: port.default(8081),
  /** Loopback port of stub_status and the health endpoint; 0 picks a free one. */
  statusPort: port.default(0),
  /** Origin base URLs: the first is primary, the others are backups. */
  origins: z.array(z.url({ protocol: /^http$/ })).min(1).default(['http://127.0.0.1:8080']),
  /** Cache, logs and the rendered nginx.conf. @defaultValue ./data/edges/<id> */
  dataDir: z.string().min(1).optional(),
  cacheMaxSize: z.string().regex(/^[1-9][0-9]*[kKmMgG]?$/, 'an nginx size such as 512m or 10g').default('1g'),
  playlistTtlSeconds: z.int().min(1).max(60).default(1),
  segmentTtlSeconds: z.int().min(1).default(7 * 24 * 3600),
  /** Above the slowest origin response, or collapsed requests go upstream uncached. */
  lockTimeoutSeconds: z.int().min(1).max(600).default(10),
  capacity: z
    .object({
      /** Share of keys relative to other edges. */
      weight: z.number().positive().default(1),
      egressMbps: z.number().positive().default(1000),
      connections: z.int().positive().default(10_000),
    })
    .prefault({}),
  heartbeatMs: z.int().min(100).max(60_000).default(1000),
  /** An edge that stops heartbeating leaves every view after this long. */
  ttlMs: z.int().min(500).max(600_000).default(3000),
  /** Longest wait for viewers' connections to end when draining. */
  drainTimeoutSec: z.int().min(0).max(3600).default(30),
});

export const signingSchema = z.object({
  /** Shared by the rewriter (signs) and the edges' nginx secure_link (verifies). Unset: URLs are not signed. */
  secret: secretString((s) => s.min(16).regex(/^[A-Za-z0-9._~+/=:@%!*,^-]+$/, 'letters, digits and . _ ~ + / = : @ % ! * , ^ - only')).optional(),
  /** Lifetime of a signature. */
  ttlSec: z.int().min(10).default(3600),
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
  edge: edgeSchema.prefault({}),
  signing: signingSchema.prefault({}),
  rewriter: rewriterSchema.prefault({}),
  transcoder: transcoderSchema.prefault({}),
  autoscaler: autoscalerSchema.prefault({}),
});

export type HlscdnConfig = z.infer<typeof configSchema>;
export type StoreConfig = HlscdnConfig['store'];
export type OriginConfig = HlscdnConfig['origin'];
export type RedisConfig = HlscdnConfig['redis'];
export type EdgeConfig = HlscdnConfig['edge'];
export type SigningConfig = HlscdnConfig['signing'];
