/**
 * One full read of the registry for the view's resync: the index and the drain
 * set (one MULTI), then every indexed record (MGET), each record validated.
 * Also the prune of index entries whose record expired. Two round trips per
 * read however large the fleet; no SCAN.
 */
import type { Redis } from 'ioredis';
import { EDGE_ID_PATTERN, parseEdgeRecord, type EdgeRecord, type EdgeRecordError } from './edge-record.js';
import { parseProbeVerdict, type ProbeVerdict } from './probe-verdict.js';
import type { RegistryKeys } from './keys.js';
import { PRUNE_SCRIPT } from './registry-scripts.js';

export interface RegistryRead {
  /** Valid records of indexed ids. */
  records: EdgeRecord[];
  /** Drain marks (well-formed ids only). */
  draining: string[];
  /** Ids with no record left (expired), or drain marks of ids no longer indexed: candidates for the prune. */
  prunable: string[];
  /** The prober's verdicts by edge id (malformed ones are reported with the records). */
  probes: Map<string, ProbeVerdict>;
  /** Records that failed validation, for the caller to report. */
  malformed: Array<{ key: string; value: string; error: EdgeRecordError }>;
}

export async function readRegistry(redis: Redis, keys: RegistryKeys): Promise<RegistryRead> {
  const replies = await redis.multi().zrange(keys.index, 0, -1).smembers(keys.draining).hgetall(keys.probes).exec();
  const failed = replies?.find(([error]) => error !== null);
  if (!replies || failed) throw failed?.[0] ?? new Error('the resync transaction was discarded');
  const ids = replies[0]?.[1] as string[];
  const draining = (replies[1]?.[1] as string[]).filter((id) => EDGE_ID_PATTERN.test(id));
  const values = ids.length === 0 ? [] : await redis.mget(...ids.map((id) => keys.record(id)));
  const read: RegistryRead = { records: [], draining, prunable: [], probes: new Map(), malformed: [] };
  for (const [id, value] of Object.entries((replies[2]?.[1] ?? {}) as Record<string, string>)) {
    const parsed = parseProbeVerdict(value);
    if (parsed.ok && parsed.value.id === id) read.probes.set(id, parsed.value);
    else
      read.malformed.push({
        key: `${keys.probes} ${id}`,
        value,
        error: parsed.ok ? { code: 'invalid-record', message: 'verdict id does not match its field' } : parsed.error,
      });
  }
  ids.forEach((id, index) => {
    const key = keys.record(id);
    const value = values[index];
    if (value === null || value === undefined) return void read.prunable.push(id);
    const parsed = parseEdgeRecord(value);
    if (!parsed.ok) return void read.malformed.push({ key, value, error: parsed.error });
    // A record copied under another key would otherwise make one edge appear twice.
    if (parsed.value.id !== id) {
      return void read.malformed.push({
        key,
        value,
        error: { code: 'invalid-record', message: `record id ${JSON.stringify(parsed.value.id)} does not match its key` },
      });
    }
    read.records.push(parsed.value);
  });
  // Drain marks of edges that died while draining (their index entry is gone too).
  const indexed = new Set(ids);
  for (const id of draining) if (!indexed.has(id)) read.prunable.push(id);
  return read;
}

/** Runs PRUNE_SCRIPT for the candidates; returns how many index entries it removed. */
export async function pruneRegistry(redis: Redis, keys: RegistryKeys, ids: readonly string[]): Promise<number> {
  const scriptKeys = [keys.index, keys.draining, ...ids.map((id) => keys.record(id))];
  return Number(await redis.eval(PRUNE_SCRIPT, scriptKeys.length, ...scriptKeys, ...ids));
}
