/**
 * Builders of valid edge records for tests: one place that knows every field.
 */
import type { EdgeRecord } from '../edge-record.js';

export function edgeRecord(id: string, overrides: Partial<EdgeRecord> = {}): EdgeRecord {
  return {
    id,
    url: `https://${id}.edges.example.net/`,
    capacity: { weight: 1, egressBytesPerSec: 125_000_000, connections: 10_000 },
    state: 'active',
    load: {
      activeConnections: 12,
      requestsPerSec: 30,
      egressBytesPerSec: 4_000_000,
      cacheHitRatio: 0.93,
      upstreamErrors: 0,
      cacheBytes: 52_428_800,
    },
    startedAt: 1_700_000_000_000,
    heartbeatAt: 1_700_000_000_000,
    version: 1,
    ...overrides,
  };
}
