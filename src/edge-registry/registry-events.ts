/**
 * The messages on the registry's pub/sub channel. They are hints that make
 * readers fast, not the truth: a subscriber misses whatever is published while
 * it is disconnected, so readers also resync from the keys (registry-view.ts).
 */
import { z } from 'zod';
import { err, ok, type Result } from '../core/result.js';
import {
  checkSize,
  describeIssues,
  edgeIdSchema,
  edgeRecordSchema,
  MAX_RECORD_BYTES,
  parseJson,
  type EdgeRecordError,
} from './edge-record.js';
import { probeVerdictSchema } from './probe-verdict.js';

/** A record plus the envelope. */
export const MAX_EVENT_BYTES = MAX_RECORD_BYTES + 256;

const at = z.int().min(0);

export const registryEventSchema = z.discriminatedUnion('type', [
  /** Published by register(): the edge announces itself. */
  z.object({ v: z.literal(1), type: z.literal('join'), record: edgeRecordSchema }),
  /** Published by every heartbeat(); readers treat an unknown id's heartbeat as a join (it re-registered after a Redis restart). */
  z.object({ v: z.literal(1), type: z.literal('heartbeat'), record: edgeRecordSchema }),
  /** Published by deregister(). */
  z.object({ v: z.literal(1), type: z.literal('leave'), id: edgeIdSchema, at }),
  /** Published by requestDrain(). */
  z.object({ v: z.literal(1), type: z.literal('drain'), id: edgeIdSchema, at }),
  /** Published by publishProbeVerdicts(): the prober's changed verdicts, so readers agree within one probe interval. */
  z.object({ v: z.literal(1), type: z.literal('probe'), verdicts: z.array(probeVerdictSchema).max(64) }),
]);

export type RegistryEvent = z.infer<typeof registryEventSchema>;
/** The events about records and drain marks: what FleetSnapshot applies (probe verdicts are kept apart). */
export type RecordEvent = Exclude<RegistryEvent, { type: 'probe' }>;

export function encodeRegistryEvent(event: RegistryEvent): string {
  return JSON.stringify(event);
}

/** Parses a channel message. Never throws; oversize messages are refused before parsing. */
export function parseRegistryEvent(text: string): Result<RegistryEvent, EdgeRecordError> {
  const tooLarge = checkSize(text, MAX_EVENT_BYTES);
  if (tooLarge) return err(tooLarge);
  const value = parseJson(text);
  if (!value.ok) return value;
  const parsed = registryEventSchema.safeParse(value.value);
  if (parsed.success) return ok(parsed.data);
  return err({ code: 'invalid-record', message: describeIssues(parsed.error) });
}
