/**
 * Measures the fleet from registry rows: how many edges count as current capacity
 * and how loaded that capacity is. Pure arithmetic over one snapshot.
 */
import type { EdgeLoad, PolicyMetric } from './types.js';

export interface FleetLoad {
  /** Active edges, including those still booting. */
  current: number;
  /** Active edges that have not sent their first healthy heartbeat yet. */
  booting: number;
  /** Fleet load / fleet capacity per resource, 0 when there is no capacity. */
  metrics: { egress: number; connections: number };
}

/** Negative, NaN or infinite figures from a confused edge count as nothing. */
function sane(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

function ratio(load: number, capacity: number): number {
  return capacity > 0 ? load / capacity : 0;
}

/**
 * Sums load and capacity over active edges. Draining edges are left out
 * entirely: they take no new viewers, so their capacity is going away and their
 * load is on its way to the active edges. Booting edges count as capacity with
 * zero load, so the policy sees the capacity it has already asked for and does
 * not add more while new edges start (the HPA treats unready pods the same way
 * when scaling up).
 */
export function measureFleet(edges: readonly EdgeLoad[]): FleetLoad {
  let current = 0;
  let booting = 0;
  let egressLoad = 0;
  let egressCapacity = 0;
  let connectionLoad = 0;
  let connectionCapacity = 0;
  for (const edge of edges) {
    if (edge.state !== 'active') continue;
    current += 1;
    egressCapacity += sane(edge.capacity.egressBytesPerSec);
    connectionCapacity += sane(edge.capacity.connections);
    if (!edge.ready) {
      booting += 1;
      continue;
    }
    egressLoad += sane(edge.egressBytesPerSec);
    connectionLoad += sane(edge.connections);
  }
  return {
    current,
    booting,
    metrics: {
      egress: ratio(egressLoad, egressCapacity),
      connections: ratio(connectionLoad, connectionCapacity),
    },
  };
}

/** Picks the utilization figure the policy is configured to act on. */
export function pickUtilization(metrics: FleetLoad['metrics'], metric: PolicyMetric): number {
  switch (metric) {
    case 'egress':
      return metrics.egress;
    case 'connections':
      return metrics.connections;
    case 'max':
      return Math.max(metrics.egress, metrics.connections);
  }
}
