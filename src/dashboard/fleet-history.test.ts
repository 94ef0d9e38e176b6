import { describe, expect, it } from 'vitest';
import type { EdgeRecord } from '../edge-registry/index.js';
import { edgeRecord } from '../edge-registry/test-support/records.js';
import { FleetHistory, sampleFleet } from './fleet-history.js';

const edge = (id: string, state: 'active' | 'draining', connections: number, egress: number): EdgeRecord =>
  edgeRecord(id, {
    state,
    capacity: { weight: 1, egressBytesPerSec: 1000, connections: 10 },
    load: {
      activeConnections: connections,
      requestsPerSec: 5,
      egressBytesPerSec: egress,
      cacheHitRatio: 1,
      upstreamErrors: 0,
      cacheBytes: 0,
    },
  });

describe('sampleFleet', () => {
  it('takes the higher of egress and connection utilization over active edges only', () => {
    const sample = sampleFleet([edge('a', 'active', 5, 100), edge('b', 'active', 1, 300), edge('c', 'draining', 10, 1000)], 42);
    expect(sample).toEqual({ at: 42, edges: 2, draining: 1, utilization: 0.3, requestsPerSec: 10, egressBytesPerSec: 400 });
    expect(sampleFleet([], 1).utilization).toBe(0);
  });
});

describe('FleetHistory', () => {
  it('keeps a bounded window and the decisions inside it, once each', () => {
    const history = new FleetHistory(3);
    for (let at = 1; at <= 5; at++) history.add({ at, edges: at, draining: 0, utilization: 0, requestsPerSec: 0, egressBytesPerSec: 0 });
    history.addDecisions([{ at: 2, action: 'scale-up', current: 1, desired: 2, reason: 'old' }]);
    history.addDecisions([
      { at: 2, action: 'scale-up', current: 1, desired: 2, reason: 'old' },
      { at: 4, action: 'scale-down', current: 3, desired: 2, reason: 'load fell' },
    ]);
    const view = history.view();
    expect(view.samples.map((s) => s.at)).toEqual([3, 4, 5]);
    expect(view.decisions.map((d) => d.reason)).toEqual(['load fell']);
  });
});
