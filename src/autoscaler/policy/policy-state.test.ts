import { describe, expect, it } from 'vitest';
import { defaultPolicyConfig } from './config.js';
import {
  changesInPeriod,
  highestRecommendation,
  initialPolicyState,
  pruneState,
  recordRecommendation,
  recordScaleEvent,
} from './policy-state.js';

describe('policy state', () => {
  it('starts empty', () => {
    expect(initialPolicyState()).toEqual({ recommendations: [], scaleEvents: [] });
  });

  it('prunes recommendations by the stabilization window and events by the longest period', () => {
    const config = {
      ...defaultPolicyConfig,
      scaleUp: { abs: 4, pct: 100, periodMs: 60_000 },
      scaleDown: { abs: 1, periodMs: 120_000 },
    };
    const now = 1_000_000;
    const pruned = pruneState(
      {
        recommendations: [
          { at: now - 300_000, desired: 9 }, // exactly one window old: out
          { at: now - 299_999, desired: 8 },
        ],
        scaleEvents: [
          { at: now - 120_000, delta: 1 }, // exactly one (longest) period old: out
          { at: now - 119_999, delta: -1 }, // still inside the 120 s scale-down period
        ],
      },
      config,
      now,
    );
    expect(pruned.recommendations).toEqual([{ at: now - 299_999, desired: 8 }]);
    expect(pruned.scaleEvents).toEqual([{ at: now - 119_999, delta: -1 }]);
  });

  it('does not mutate the state it is given', () => {
    const state = initialPolicyState();
    const next = recordScaleEvent(recordRecommendation(state, { at: 1, desired: 3 }), { at: 1, delta: 2 });
    expect(state).toEqual({ recommendations: [], scaleEvents: [] });
    expect(next).toEqual({ recommendations: [{ at: 1, desired: 3 }], scaleEvents: [{ at: 1, delta: 2 }] });
  });

  it('drops recommendations a newer, higher or equal one outlives, keeping the window maximum', () => {
    let state = initialPolicyState();
    for (const [at, desired] of [
      [0, 5],
      [1, 7],
      [2, 4],
      [3, 6],
      [4, 6],
      [5, 2],
    ] as const) {
      state = recordRecommendation(state, { at, desired });
    }
    expect(state.recommendations).toEqual([
      { at: 1, desired: 7 },
      { at: 4, desired: 6 },
      { at: 5, desired: 2 },
    ]);
    // Window maximum as seen from later times: 7 until it expires, then 6, then 2.
    expect(highestRecommendation(state, 10, 10)).toBe(7);
    expect(highestRecommendation(state, 11, 10)).toBe(6);
    expect(highestRecommendation(state, 14, 10)).toBe(2);
    expect(highestRecommendation(state, 15, 10)).toBeUndefined();
  });

  it('stays small however often recommendations arrive', () => {
    let state = initialPolicyState();
    for (let at = 0; at < 10_000; at++) {
      state = recordRecommendation(state, { at, desired: 1 + (at % 5) });
    }
    expect(state.recommendations.length).toBeLessThanOrEqual(5);
  });

  it('sums additions and removals inside the period only', () => {
    const state = {
      recommendations: [],
      scaleEvents: [
        { at: 0, delta: 4 },
        { at: 30_000, delta: 2 },
        { at: 45_000, delta: -1 },
      ],
    };
    expect(changesInPeriod(state, 59_999, 60_000)).toEqual({ added: 6, removed: 1 });
    expect(changesInPeriod(state, 60_000, 60_000)).toEqual({ added: 2, removed: 1 });
    expect(changesInPeriod(state, 105_000, 60_000)).toEqual({ added: 0, removed: 0 });
  });
});
