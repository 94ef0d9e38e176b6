/**
 * What one edge tells the registry about itself, and its validation. Every
 * record written is checked here first and every record or event read is
 * checked here again: Redis is shared, so a payload is data, not a promise.
 */
import { z } from 'zod';
import { err, ok, type Result } from '../core/result.js';

/** Schema version written into every record; readers refuse other versions. */
export const EDGE_RECORD_VERSION = 1;

/**
 * Largest serialized record accepted. A real record is about 400 bytes; the
 * bound keeps one bad writer from making every reader parse megabytes each resync.
 */
export const MAX_RECORD_BYTES = 16 * 1024;

/** Lower-case, DNS-label-like: safe inside Redis keys and ACL glob patterns, and in log lines. */
export const EDGE_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export const edgeIdSchema = z.string().regex(EDGE_ID_PATTERN, 'must match [a-z0-9][a-z0-9._-]{0,62}');

const publicBaseUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return false;
    }
    const plain = url.username === '' && url.password === '' && url.search === '' && url.hash === '';
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && plain;
  }, 'must be an absolute http(s) base URL without credentials, query or fragment');

const positive = z.number().positive();
const count = z.int().min(0);
const rate = z.number().min(0);
const epochMs = z.int().min(0);

export const edgeRecordSchema = z.object({
  id: edgeIdSchema,
  /** Public base URL viewers fetch segments from. */
  url: publicBaseUrl,
  /** Failure domain or region, for zone-aware selection. */
  zone: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_" or "-"')
    .optional(),
  /** What the edge can take at 100% utilization. */
  capacity: z.object({
    /** Relative share of keys for rendezvous hashing. */
    weight: positive,
    egressBytesPerSec: positive,
    connections: positive,
  }),
  /**
   * 'active' takes new work; 'draining' finishes what it has; 'unhealthy' is an
   * edge whose own agent sees nginx failing its canary (see docs/edge.md), so it
   * gets no new work until the agent sees it pass again.
   */
  state: z.enum(['active', 'draining', 'unhealthy']),
  /** Why the edge is unhealthy (its agent's self-check, or the viewers' probes), for operators. */
  problem: z.string().max(300).optional(),
  /**
   * The outside-in prober's verdict, folded in by readers (withProbeVerdict in
   * probe-verdict.ts); agents do not write it.
   */
  probe: z
    .object({
      verdict: z.enum(['up', 'slow', 'down']),
      rttMs: z.number().min(0).nullable(),
      since: z.int().min(0),
      detail: z.string().max(200).optional(),
    })
    .optional(),
  load: z.object({
    activeConnections: count,
    requestsPerSec: rate,
    egressBytesPerSec: rate,
    cacheHitRatio: z.number().min(0).max(1),
    /** Upstream (origin) errors counted over the agent's measurement window. */
    upstreamErrors: count,
    cacheBytes: count,
  }),
  /** When the edge process started, ms since the epoch. */
  startedAt: epochMs,
  /** When the agent produced this record, ms since the epoch (the writer's clock). */
  heartbeatAt: epochMs,
  version: z.literal(EDGE_RECORD_VERSION),
});

export type EdgeRecord = z.infer<typeof edgeRecordSchema>;
export type EdgeState = EdgeRecord['state'];

export interface EdgeRecordError {
  code: 'too-large' | 'invalid-json' | 'invalid-record';
  message: string;
}

/** Validates a value already parsed from JSON (or built in code). */
export function validateEdgeRecord(value: unknown): Result<EdgeRecord, EdgeRecordError> {
  const parsed = edgeRecordSchema.safeParse(value);
  if (parsed.success) return ok(parsed.data);
  return err({ code: 'invalid-record', message: describeIssues(parsed.error) });
}

/** Parses a stored or published record. Never throws; oversize input is refused before parsing. */
export function parseEdgeRecord(json: string): Result<EdgeRecord, EdgeRecordError> {
  const tooLarge = checkSize(json, MAX_RECORD_BYTES);
  if (tooLarge) return err(tooLarge);
  const value = parseJson(json);
  if (!value.ok) return value;
  return validateEdgeRecord(value.value);
}

/** The size check shared with event parsing. Length first: UTF-8 never has fewer bytes than UTF-16 code units. */
export function checkSize(text: string, maxBytes: number): EdgeRecordError | undefined {
  if (text.length > maxBytes || Buffer.byteLength(text, 'utf8') > maxBytes) {
    return { code: 'too-large', message: `payload of ${text.length} characters is over the ${maxBytes}-byte limit` };
  }
  return undefined;
}

export function parseJson(text: string): Result<unknown, EdgeRecordError> {
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (error) {
    return err({ code: 'invalid-json', message: `not JSON: ${(error as Error).message}` });
  }
}

/** "capacity.weight: Too small: expected number to be >0; url: ..." for logs and error messages. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(record)'}: ${issue.message}`)
    .join('; ');
}
