/**
 * Which edges go when the fleet shrinks. Pure.
 *
 * Only edges this autoscaler's actuator runs can go (others in the registry
 * count as capacity but belong to someone else). Order:
 * 1. pending edges (launched, not registered yet): nobody watches through them
 *    and their cache is empty;
 * 2. then registered active edges, least loaded first: fewest open connections
 *    (fewest viewers to move), then least egress, then the newest (its cache is
 *    the coldest, so losing it costs the origin least), then by id for a stable order.
 * Never so many that fewer than minEdges active edges would remain.
 */
import type { EdgeRecord } from '../../edge-registry/index.js';
import type { ActuatorEdge } from '../actuators/edge-actuator.js';

export interface RemovalInput {
  /** How many the decision wants gone (current - desired). */
  count: number;
  /** Active edges the decision counted (ready and pending). */
  current: number;
  minEdges: number;
  records: readonly EdgeRecord[];
  owned: readonly ActuatorEdge[];
  pending: readonly string[];
  removing: ReadonlySet<string>;
}

export interface Removal {
  /** Edges to remove, in order. */
  ids: string[];
  /** Registered edges among `ids` (they are drained first); the others are pending. */
  drain: string[];
  /** Why fewer than `count` were chosen, if so. */
  shortfall?: string;
}

export function byRemovalPreference(a: EdgeRecord, b: EdgeRecord): number {
  return (
    a.load.activeConnections - b.load.activeConnections ||
    a.load.egressBytesPerSec - b.load.egressBytesPerSec ||
    b.startedAt - a.startedAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function chooseRemovals(input: RemovalInput): Removal {
  const owned = new Set(input.owned.filter((e) => e.state !== 'stopping').map((e) => e.id));
  const allowed = Math.max(0, Math.min(input.count, input.current - input.minEdges));
  const pending = input.pending.filter((id) => owned.has(id) && !input.removing.has(id));
  const registered = input.records
    .filter((r) => r.state === 'active' && owned.has(r.id) && !input.removing.has(r.id))
    .sort(byRemovalPreference)
    .map((r) => r.id);
  const ids = [...pending, ...registered].slice(0, allowed);
  const drainable = new Set(registered);
  const removal: Removal = { ids, drain: ids.filter((id) => drainable.has(id)) };
  if (ids.length < input.count) {
    removal.shortfall =
      allowed < input.count
        ? `only ${allowed} may go without dropping below minEdges ${input.minEdges}`
        : `only ${ids.length} of the active edges are run by this autoscaler's actuator`;
  }
  return removal;
}
