/**
 * From a registry snapshot to what edge selection needs: candidates with a
 * load, each edge's base URL, a version string that changes whenever a
 * rewrite could come out differently, or the reason to fall back instead.
 *
 * Load is the edge's requests/s as its agent measured them (EdgeRecord
 * load.requestsPerSec), NOT divided by capacity.weight: the bounded-load rule
 * already compares an edge's load with c x its weighted share of the fleet's
 * load, so dividing by the weight would count the weight twice and push a
 * weight-1 edge over its bound while it carries exactly its share.
 * Requests/s (rather than bytes/s) is what the rewriter's choices move: each
 * assignment is one more object fetched from that edge.
 */
import { createHash } from 'node:crypto';
import type { EdgeRecord } from '../../edge-registry/index.js';
import { eligibleEdges } from '../selection/candidates.js';
import type { EdgeCandidate } from '../selection/index.js';

/** What the rewriter reads of the registry view (EdgeRegistryView satisfies it; tests pass a stub). */
export interface FleetView {
  edges: readonly EdgeRecord[];
  /** How old the view's knowledge is; Infinity before the first read. */
  ageMs: number;
  connected: boolean;
}

export interface FleetSource {
  snapshot(): FleetView;
}

export type FallbackReason = 'registry-stale' | 'no-live-edge';

export interface UsableFleet {
  usable: true;
  candidates: readonly EdgeCandidate[];
  /** Edge id -> public base URL. */
  urls: ReadonlyMap<string, string>;
  /** Equal versions give equal rewrites: covers ids, URLs, weights, states, zones and loads. */
  version: string;
}

export type FleetState = UsableFleet | { usable: false; reason: FallbackReason };

/**
 * Share of new work a slow edge keeps (the probes judged it well behind the
 * fleet's median round trip): its weight is scaled by this, so rendezvous
 * hashing gives it fewer new keys while its cache still serves the ones it has.
 */
export const SLOW_EDGE_WEIGHT_FACTOR = 0.1;

export function edgeCandidate(record: EdgeRecord): EdgeCandidate {
  const weight = record.probe?.verdict === 'slow' ? record.capacity.weight * SLOW_EDGE_WEIGHT_FACTOR : record.capacity.weight;
  const candidate: EdgeCandidate = { id: record.id, weight, state: record.state, load: record.load.requestsPerSec };
  if (record.zone !== undefined) candidate.zone = record.zone;
  return candidate;
}

/** Fingerprints longer than this are hashed, so cache keys stay short with a large fleet. */
const MAX_PLAIN_VERSION = 256;

function fleetVersion(records: readonly EdgeRecord[]): string {
  const plain = records
    .map((r) => `${r.id} ${r.url} ${r.capacity.weight} ${r.state} ${r.probe?.verdict ?? ''} ${r.zone ?? ''} ${r.load.requestsPerSec}`)
    .join('\n');
  return plain.length <= MAX_PLAIN_VERSION ? plain : createHash('sha1').update(plain).digest('base64url');
}

export interface FleetStateOptions {
  /** A snapshot older than this is not trusted. */
  maxSnapshotAgeMs: number;
}

/**
 * Usable edges, or why there are none: the snapshot is too old (Redis unreachable for
 * longer than maxSnapshotAgeMs; a younger one is still used, see docs/edge-registry.md
 * "While Redis is unreachable") or no edge is active with a positive weight.
 *
 * Unhealthy edges get no new work while at least one edge is healthy. When every
 * edge is unhealthy at once the cause is most likely shared (an origin outage
 * fails every canary), so they are used as if healthy: an edge with a warm cache
 * beats sending every viewer to the origin (Envoy's "panic" rule).
 */
export function fleetState(view: FleetView, options: FleetStateOptions): FleetState {
  if (!(view.ageMs <= options.maxSnapshotAgeMs)) return { usable: false, reason: 'registry-stale' };
  let candidates = view.edges.map(edgeCandidate);
  if (eligibleEdges(candidates).length === 0) {
    candidates = candidates.map((c) => (c.state === 'unhealthy' ? { ...c, state: 'active' } : c));
    if (eligibleEdges(candidates).length === 0) return { usable: false, reason: 'no-live-edge' };
  }
  return {
    usable: true,
    candidates,
    urls: new Map(view.edges.map((record) => [record.id, record.url])),
    version: fleetVersion(view.edges),
  };
}
