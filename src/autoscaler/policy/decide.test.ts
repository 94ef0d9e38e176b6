import { describe, expect, it } from 'vitest';
import { defaultPolicyConfig } from './config.js';
import { decide } from './decide.js';
import { initialPolicyState } from './policy-state.js';
import { testEdge, testFleet } from './test-support/test-edges.js';
import type { EdgeLoad, PolicyConfig, PolicyState } from './types.js';

const NOW = 10_000_000;

interface Case {
  edges: readonly EdgeLoad[];
  config?: Partial<PolicyConfig>;
  state?: PolicyState;
}

function run(c: Case) {
  return decide({
    state: c.state ?? initialPolicyState(),
    edges: c.edges,
    config: { ...defaultPolicyConfig, ...c.config },
    now: NOW,
  });
}

function stateWith(partial: Partial<PolicyState>): PolicyState {
  return { ...initialPolicyState(), ...partial };
}

describe('decide: scaling up', () => {
  it('scales up at once when utilization is above the tolerance band', () => {
    const { decision } = run({ edges: testFleet(3, 0.84) });
    expect(decision).toMatchObject({ at: NOW, current: 3, desired: 5, rawDesired: 5, action: 'scale-up' });
    expect(decision.utilization).toBeCloseTo(0.84, 10);
    expect(decision.reason).toBe('utilization 0.84 > target 0.60 (+10% tolerance): 3 -> 5 edges (rate limit +4/60s)');
  });

  it('adds at most max(abs, pct) edges per period', () => {
    const { decision } = run({ edges: testFleet(3, 2) });
    expect(decision).toMatchObject({ desired: 7, rawDesired: 10, action: 'scale-up' });
    expect(decision.reason).toBe('utilization 2.00 > target 0.60 (+10% tolerance): 3 -> 7 edges (wanted 10; rate limit +4/60s)');
  });

  it('uses the percentage when it allows more than abs', () => {
    const { decision } = run({ edges: testFleet(10, 1.5), config: { maxEdges: 40 } });
    expect(decision.desired).toBe(20); // +100% of 10 beats +4
    expect(decision.reason).toContain('(wanted 25; rate limit +10/60s)');
  });

  it('holds when the period budget is used up, and goes on once the event leaves the period', () => {
    const edges = testFleet(7, 0.9);
    const busy = run({ edges, state: stateWith({ scaleEvents: [{ at: NOW - 59_999, delta: 4 }] }) });
    expect(busy.decision).toMatchObject({ desired: 7, rawDesired: 11, action: 'hold' });
    expect(busy.decision.reason).toBe(
      'utilization 0.90 > target 0.60 (+10% tolerance): holding at 7 edges (wanted 11; rate limit +4/60s used up)',
    );
    // The budget is counted from the 5 edges at the start of the period, not the 7 now:
    // +5 allowed, 2 of them used.
    const partly = run({ edges, state: stateWith({ scaleEvents: [{ at: NOW - 59_999, delta: 2 }] }) });
    expect(partly.decision.desired).toBe(10);
    const later = run({ edges, state: stateWith({ scaleEvents: [{ at: NOW - 60_000, delta: 4 }] }) });
    expect(later.decision.desired).toBe(11); // a fresh period: +7 (100% of 7) allowed
  });

  it('caps at maxEdges and says so', () => {
    const { decision } = run({ edges: testFleet(8, 1.2), config: { maxEdges: 10 } });
    expect(decision).toMatchObject({ desired: 10, rawDesired: 10 });
    expect(decision.reason).toBe(
      'utilization 1.20 > target 0.60 (+10% tolerance): 8 -> 10 edges (wanted 16; maxEdges 10; rate limit +8/60s)',
    );
    const atMax = run({ edges: testFleet(10, 1.2), config: { maxEdges: 10 } });
    expect(atMax.decision.action).toBe('hold');
    expect(atMax.decision.reason).toBe('utilization 1.20 > target 0.60 (+10% tolerance): holding at 10 edges (wanted 20; maxEdges 10)');
  });
});

describe('decide: tolerance', () => {
  it('holds inside the band but still reports the raw recommendation', () => {
    const { decision } = run({ edges: testFleet(5, 0.65) });
    expect(decision).toMatchObject({ current: 5, desired: 5, rawDesired: 6, action: 'hold' });
    expect(decision.reason).toBe('utilization 0.65 within target 0.60 ±10%: holding at 5 edges');
  });

  it('treats a ratio exactly on the band edge as inside it', () => {
    expect(run({ edges: testFleet(5, 0.66) }).decision.action).toBe('hold');
    expect(run({ edges: testFleet(5, 0.54) }).decision.action).toBe('hold');
    expect(run({ edges: testFleet(5, 0.67) }).decision.action).toBe('scale-up');
  });

  it('is not fooled by floating point into asking for an extra edge', () => {
    // 4 x 0.45 / 0.6 is 3.0000000000000004 in floating point.
    expect(run({ edges: testFleet(4, 0.45) }).decision.rawDesired).toBe(3);
  });

  it('formats fractional tolerances and periods', () => {
    const { decision } = run({
      edges: testFleet(3, 0.84),
      config: { tolerance: 0.125, scaleUp: { abs: 4, pct: 100, periodMs: 90_500 } },
    });
    expect(decision.reason).toBe('utilization 0.84 > target 0.60 (+12.5% tolerance): 3 -> 5 edges (rate limit +4/90.5s)');
  });
});

describe('decide: scaling down', () => {
  it('holds while a higher recommendation is inside the stabilization window', () => {
    const state = stateWith({ recommendations: [{ at: NOW - 100_000, desired: 7 }] });
    const { decision } = run({ edges: testFleet(7, 0.2), state });
    expect(decision).toMatchObject({ desired: 7, rawDesired: 3, action: 'hold' });
    expect(decision.reason).toBe(
      'utilization 0.20 < target 0.60 (-10% tolerance): holding at 7 edges (wanted 3; highest recommendation in the last 300s is 7)',
    );
  });

  it('goes down only to the highest recommendation in the window', () => {
    const state = stateWith({ recommendations: [{ at: NOW - 100_000, desired: 5 }] });
    const { decision } = run({ edges: testFleet(7, 0.2), state, config: { scaleDown: { abs: 4, periodMs: 60_000 } } });
    expect(decision).toMatchObject({ desired: 5, action: 'scale-down' });
    expect(decision.reason).toBe(
      'utilization 0.20 < target 0.60 (-10% tolerance): 7 -> 5 edges (wanted 3; highest recommendation in the last 300s is 5; rate limit -4/60s)',
    );
  });

  it('forgets recommendations once they are a full window old', () => {
    const state = stateWith({ recommendations: [{ at: NOW - 300_000, desired: 7 }] });
    const { decision } = run({ edges: testFleet(7, 0.2), state });
    expect(decision.desired).toBe(6);
    expect(decision.reason).toBe('utilization 0.20 < target 0.60 (-10% tolerance): 7 -> 6 edges (wanted 3; rate limit -1/60s)');
  });

  it('removes at most scaleDown.abs edges per period', () => {
    const state = stateWith({ scaleEvents: [{ at: NOW - 59_999, delta: -1 }] });
    const { decision } = run({ edges: testFleet(7, 0.2), state });
    expect(decision).toMatchObject({ desired: 7, action: 'hold' });
    expect(decision.reason).toBe(
      'utilization 0.20 < target 0.60 (-10% tolerance): holding at 7 edges (wanted 3; rate limit -1/60s used up)',
    );
  });

  it('scales down at once with no stabilization window', () => {
    const state = stateWith({ recommendations: [{ at: NOW - 1, desired: 7 }] });
    const { decision } = run({
      edges: testFleet(7, 0.2),
      state,
      config: { scaleDownStabilizationMs: 0, scaleDown: { abs: 10, periodMs: 60_000 } },
    });
    expect(decision.desired).toBe(3);
  });

  it('speaks of one edge in the singular', () => {
    const idle = run({ edges: testFleet(1, 0.6) });
    expect(idle.decision.reason).toBe('utilization 0.60 within target 0.60 ±10%: holding at 1 edge');
    const shrink = run({ edges: testFleet(2, 0.1), config: { minEdges: 1 } });
    expect(shrink.decision.reason).toBe('utilization 0.10 < target 0.60 (-10% tolerance): 2 -> 1 edge (rate limit -1/60s)');
  });

  it('stops at minEdges and says so', () => {
    const { decision } = run({ edges: testFleet(2, 0.1), config: { minEdges: 2 } });
    expect(decision).toMatchObject({ desired: 2, rawDesired: 2, action: 'hold' });
    expect(decision.reason).toBe('utilization 0.10 < target 0.60 (-10% tolerance): holding at 2 edges (wanted 1; minEdges 2)');
  });
});

describe('decide: bounds', () => {
  it('moves a fleet below minEdges up at once', () => {
    const { decision } = run({ edges: testFleet(1, 0.6), config: { minEdges: 3 } });
    expect(decision).toMatchObject({ desired: 3, action: 'scale-up' });
    expect(decision.reason).toBe('utilization 0.60 within target 0.60 ±10%: 1 -> 3 edges (below minEdges 3)');
  });

  it('goes past minEdges when the load asks for more', () => {
    const { decision } = run({ edges: testFleet(1, 3), config: { minEdges: 3 } });
    expect(decision.desired).toBe(5);
    expect(decision.reason).toBe('utilization 3.00 > target 0.60 (+10% tolerance): 1 -> 5 edges (below minEdges 3; rate limit +4/60s)');
  });

  it('moves a fleet above maxEdges down at once, past the step limit', () => {
    const { decision } = run({ edges: testFleet(6, 0.6), config: { maxEdges: 4 } });
    expect(decision).toMatchObject({ desired: 4, action: 'scale-down' });
    expect(decision.reason).toBe('utilization 0.60 within target 0.60 ±10%: 6 -> 4 edges (above maxEdges 4)');
  });

  it('starts an empty fleet at minEdges', () => {
    const { decision } = run({ edges: [], config: { minEdges: 2 } });
    expect(decision).toMatchObject({ current: 0, desired: 2, rawDesired: 2, utilization: 0, action: 'scale-up' });
    expect(decision.reason).toBe('no active edges: 0 -> 2 edges (below minEdges 2)');
  });

  it('leaves an empty fleet empty when minEdges is 0', () => {
    const { decision } = run({ edges: [], config: { minEdges: 0 } });
    expect(decision).toMatchObject({ current: 0, desired: 0, action: 'hold' });
    expect(decision.reason).toBe('no active edges: holding at 0 edges');
  });
});

describe('decide: which edges count', () => {
  it('ignores draining edges for both count and load', () => {
    const edges = [...testFleet(3, 0.6), testEdge('old-1', { egress: 1, state: 'draining' })];
    expect(run({ edges }).decision).toMatchObject({ current: 3, desired: 3, action: 'hold' });
  });

  it('counts booting edges as coming capacity, with no load', () => {
    // 2 busy edges plus 2 booting: as if the load were already spread over 4.
    const edges = [
      ...testFleet(2, 0.9),
      testEdge('new-1', { egress: 0.5, ready: false }),
      testEdge('new-2', { egress: 0.5, ready: false }),
    ];
    const { decision } = run({ edges });
    expect(decision).toMatchObject({ current: 4, rawDesired: 3 });
    expect(decision.metrics.egress).toBeCloseTo(0.45, 10);
  });

  it.each([
    ['max', 6, 'scale-up'],
    ['connections', 6, 'scale-up'],
    ['egress', 2, 'scale-down'],
  ] as const)('metric %s drives the recommendation', (metric, rawDesired, action) => {
    const edges = Array.from({ length: 4 }, (_, i) => testEdge(`e${i}`, { egress: 0.3, connections: 0.9 }));
    const { decision } = run({ edges, config: { metric } });
    expect(decision).toMatchObject({ rawDesired, action });
    expect(decision.metrics.egress).toBeCloseTo(0.3, 10);
    expect(decision.metrics.connections).toBeCloseTo(0.9, 10);
  });
});

describe('decide: state', () => {
  it('records the recommendation and the scale event without touching the input', () => {
    const state = initialPolicyState();
    const result = run({ edges: testFleet(3, 0.84), state });
    expect(state).toEqual(initialPolicyState());
    expect(result.state).toEqual({
      recommendations: [{ at: NOW, desired: 5 }],
      scaleEvents: [{ at: NOW, delta: 2 }],
    });
  });

  it('records the current count, not the raw one, as the recommendation inside the band', () => {
    const result = run({ edges: testFleet(5, 0.65) });
    expect(result.state.recommendations).toEqual([{ at: NOW, desired: 5 }]);
    expect(result.state.scaleEvents).toEqual([]);
  });

  it('drops what has left every window', () => {
    const state = stateWith({
      recommendations: [{ at: NOW - 400_000, desired: 9 }],
      scaleEvents: [{ at: NOW - 61_000, delta: 1 }],
    });
    const result = run({ edges: testFleet(5, 0.6), state });
    expect(result.state).toEqual({ recommendations: [{ at: NOW, desired: 5 }], scaleEvents: [] });
  });
});
