import { describe, expect, it } from 'vitest';
import { measureFleet, pickUtilization } from './fleet-load.js';
import { testEdge } from './test-support/test-edges.js';

describe('measureFleet', () => {
  it('averages load over capacity across active edges', () => {
    const fleet = measureFleet([testEdge('a', { egress: 0.9, connections: 0.2 }), testEdge('b', { egress: 0.3, connections: 0.4 })]);
    expect(fleet.current).toBe(2);
    expect(fleet.metrics.egress).toBeCloseTo(0.6, 10);
    expect(fleet.metrics.connections).toBeCloseTo(0.3, 10);
  });

  it('leaves draining edges out of both count and load', () => {
    const fleet = measureFleet([testEdge('a', { egress: 0.5 }), testEdge('b', { egress: 1, state: 'draining' })]);
    expect(fleet.current).toBe(1);
    expect(fleet.metrics.egress).toBeCloseTo(0.5, 10);
  });

  it('counts booting edges as capacity with zero load, whatever they report', () => {
    const fleet = measureFleet([testEdge('a', { egress: 0.9 }), testEdge('b', { egress: 0.7, ready: false })]);
    expect(fleet.current).toBe(2);
    expect(fleet.booting).toBe(1);
    expect(fleet.metrics.egress).toBeCloseTo(0.45, 10);
  });

  it('reads 0 with no active edges rather than dividing by zero', () => {
    expect(measureFleet([])).toEqual({ current: 0, booting: 0, metrics: { egress: 0, connections: 0 } });
    const onlyDraining = measureFleet([testEdge('a', { egress: 1, state: 'draining' })]);
    expect(onlyDraining.metrics).toEqual({ egress: 0, connections: 0 });
  });

  it('ignores negative, NaN and infinite figures from a confused edge', () => {
    const broken = {
      ...testEdge('b', { egress: 0 }),
      egressBytesPerSec: Number.NaN,
      connections: -5,
      capacity: { egressBytesPerSec: Infinity, connections: 2_000 },
    };
    const fleet = measureFleet([testEdge('a', { egress: 0.5 }), broken]);
    expect(fleet.current).toBe(2);
    expect(fleet.metrics.egress).toBeCloseTo(0.5, 10); // the broken edge adds neither load nor capacity
    expect(fleet.metrics.connections).toBeCloseTo(0.25, 10);
  });
});

describe('pickUtilization', () => {
  const metrics = { egress: 0.3, connections: 0.9 };
  it.each([
    ['max', 0.9],
    ['egress', 0.3],
    ['connections', 0.9],
  ] as const)('%s -> %d', (metric, expected) => {
    expect(pickUtilization(metrics, metric)).toBe(expected);
  });

  it('max takes egress when egress is the busier resource', () => {
    expect(pickUtilization({ egress: 0.8, connections: 0.1 }, 'max')).toBe(0.8);
  });
});
