/**
 * Test fixture: builds registry rows for edges of a fixed size from a
 * utilization, so tests read as "3 edges at 0.84" rather than byte counts.
 */
import type { EdgeLoad } from '../types.js';

export const EDGE_EGRESS_BYTES_PER_SEC = 1_250_000_000;
export const EDGE_CONNECTIONS = 2_000;

export interface TestEdgeOptions {
  /** Egress load as a fraction of capacity. */
  egress: number;
  /** Connection load as a fraction of capacity. @defaultValue same as egress */
  connections?: number;
  /** @defaultValue 'active' */
  state?: EdgeLoad['state'];
  /** @defaultValue true */
  ready?: boolean;
}

export function testEdge(id: string, options: TestEdgeOptions): EdgeLoad {
  return {
    id,
    state: options.state ?? 'active',
    ready: options.ready ?? true,
    capacity: { egressBytesPerSec: EDGE_EGRESS_BYTES_PER_SEC, connections: EDGE_CONNECTIONS },
    egressBytesPerSec: options.egress * EDGE_EGRESS_BYTES_PER_SEC,
    connections: (options.connections ?? options.egress) * EDGE_CONNECTIONS,
  };
}

/** `count` ready, active edges all at the same utilization. */
export function testFleet(count: number, utilization: number): EdgeLoad[] {
  return Array.from({ length: count }, (_, i) => testEdge(`edge-${i}`, { egress: utilization }));
}
