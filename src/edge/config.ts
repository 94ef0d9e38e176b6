/**
 * The `edge` and `signing` sections of the configuration: one nginx edge and
 * its agent, and the secret shared by the rewriter (which signs segment URLs)
 * and the edges' nginx secure_link (which verifies them).
 */
import { z } from 'zod';
import { hostSchema, portSchema, secretString } from '../core/config/index.js';

export const edgeSchema = z.object({
  /** Registry id of this edge. @defaultValue "edge-<port>" */
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lowercase letters, digits, ".", "_" and "-", up to 63')
    .optional(),
  /** Base URL viewers reach this edge at. @defaultValue http://<host>:<port> */
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  zone: z.string().min(1).max(64).optional(),
  /** Viewer-facing address. Loopback unless asked. */
  host: hostSchema.default('127.0.0.1'),
  port: portSchema.default(8081),
  /** Loopback port of stub_status and the health endpoint; 0 picks a free one. */
  statusPort: portSchema.default(0),
  /** Origin base URLs: the first is primary, the others are backups. */
  origins: z
    .array(z.url({ protocol: /^http$/ }))
    .min(1)
    .default(['http://127.0.0.1:8080']),
  /** Cache, logs and the rendered nginx.conf. @defaultValue ./data/edges/<id> */
  dataDir: z.string().min(1).optional(),
  cacheMaxSize: z
    .string()
    .regex(/^[1-9][0-9]*[kKmMgG]?$/, 'an nginx size such as 512m or 10g')
    .default('1g'),
  playlistTtlSeconds: z.int().min(1).max(60).default(1),
  segmentTtlSeconds: z
    .int()
    .min(1)
    .default(7 * 24 * 3600),
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
  secret: secretString((s) =>
    s.min(16).regex(/^[A-Za-z0-9._~+/=:@%!*,^-]+$/, 'letters, digits and . _ ~ + / = : @ % ! * , ^ - only'),
  ).optional(),
  /** Lifetime of a signature. */
  ttlSec: z.int().min(10).default(3600),
});

export type EdgeConfig = z.infer<typeof edgeSchema>;
export type SigningConfig = z.infer<typeof signingSchema>;
