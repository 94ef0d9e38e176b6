/**
 * What the viewers' side thinks of an edge: the outside-in prober
 * (src/edge-health) fetches each edge's health path at its public URL and
 * publishes one verdict per edge here. Readers fold a fresh verdict into the
 * edge's record (see `withProbeVerdict`), so every consumer of the fleet (the
 * rewriter, the autoscaler, the dashboard, `hlscdn edges list`) sees a hung edge
 * as unhealthy without knowing where the verdict came from.
 */
import { z } from 'zod';
import { err, ok, type Result } from '../core/result.js';
import { checkSize, describeIssues, edgeIdSchema, parseJson, type EdgeRecord, type EdgeRecordError } from './edge-record.js';

export const MAX_VERDICT_BYTES = 1024;

/** up: answers in time; slow: answers, well behind the rest of the fleet; down: failed `fall` probes in a row. */
export const PROBE_VERDICTS = ['up', 'slow', 'down'] as const;
export type ProbeVerdictKind = (typeof PROBE_VERDICTS)[number];

const epochMs = z.int().min(0);

export const probeVerdictSchema = z.object({
  id: edgeIdSchema,
  verdict: z.enum(PROBE_VERDICTS),
  /** Smoothed round trip of the probes that answered, ms; null while none has. */
  rttMs: z.number().min(0).nullable(),
  /** When this verdict began (the prober's clock). */
  since: epochMs,
  /** When the prober last updated it; a reader ignores a verdict older than its staleness bound. */
  checkedAt: epochMs,
  /** Why, for people: the last failure, or how far behind the fleet. */
  detail: z.string().max(200).optional(),
});

export type ProbeVerdict = z.infer<typeof probeVerdictSchema>;

export function parseProbeVerdict(json: string): Result<ProbeVerdict, EdgeRecordError> {
  const tooLarge = checkSize(json, MAX_VERDICT_BYTES);
  if (tooLarge) return err(tooLarge);
  const value = parseJson(json);
  if (!value.ok) return value;
  const parsed = probeVerdictSchema.safeParse(value.value);
  return parsed.success ? ok(parsed.data) : err({ code: 'invalid-record', message: describeIssues(parsed.error) });
}

/**
 * The record as viewers would find the edge: a fresh 'down' verdict makes an
 * active edge 'unhealthy' with the probe's reason; a stale verdict (the prober
 * stopped) says nothing, so the record is left as its agent wrote it.
 */
export function withProbeVerdict(record: EdgeRecord, verdict: ProbeVerdict | undefined, now: number, staleAfterMs: number): EdgeRecord {
  const { probe: _ignored, ...own } = record;
  if (!verdict || now - verdict.checkedAt > staleAfterMs) return own;
  const probe = { verdict: verdict.verdict, rttMs: verdict.rttMs, since: verdict.since, ...(verdict.detail && { detail: verdict.detail }) };
  if (verdict.verdict === 'down' && own.state === 'active') {
    return { ...own, state: 'unhealthy', problem: `viewers' probes fail${verdict.detail ? `: ${verdict.detail}` : ''}`, probe };
  }
  return { ...own, probe };
}
