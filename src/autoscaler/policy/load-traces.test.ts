/**
 * Replays load traces through `decide` with a small fleet simulator and checks
 * the edge count over time: how fast the fleet grows, how slowly it shrinks,
 * and that it does not flap on noise.
 */
import { describe, expect, it } from 'vitest';
import { defaultPolicyConfig } from './config.js';
import { decide } from './decide.js';
import { initialPolicyState } from './policy-state.js';
import type { Decision, EdgeLoad, PolicyConfig } from './types.js';

const TICK_MS = 15_000;
/** Each edge serves 10 Gbit/s; at the 0.6 target that is 6 Gbit/s per edge. */
const EDGE_GBPS = 10;
const BYTES_PER_GBIT = 125_000_000;
/** About 5 Mbit/s per viewer, so connections track egress. */
const CONNECTIONS_PER_GBIT = 200;

interface SimulatedEdge {
  id: string;
  readyAtTick: number;
}

interface SimulationOptions {
  /** Total viewer demand per tick, Gbit/s; ticks are 15 s apart. */
  trace: readonly number[];
  initialEdges: number;
  config?: Partial<PolicyConfig>;
  /** Ticks a new edge takes before its first healthy heartbeat. @defaultValue 0 */
  bootTicks?: number;
}

interface SimulationResult {
  /** Edge count after each tick's decision was applied. */
  counts: number[];
  decisions: Decision[];
}

function edgeLoads(edges: readonly SimulatedEdge[], demandGbps: number, tick: number): EdgeLoad[] {
  const ready = edges.filter((e) => e.readyAtTick <= tick).length;
  const perEdge = ready > 0 ? demandGbps / ready : 0;
  return edges.map((e) => {
    const isReady = e.readyAtTick <= tick;
    // A booting edge is not in the balancer yet, so it carries nothing.
    const gbps = isReady ? perEdge : 0;
    return {
      id: e.id,
      state: 'active',
      ready: isReady,
      capacity: { egressBytesPerSec: EDGE_GBPS * BYTES_PER_GBIT, connections: EDGE_GBPS * CONNECTIONS_PER_GBIT },
      egressBytesPerSec: gbps * BYTES_PER_GBIT,
      connections: gbps * CONNECTIONS_PER_GBIT,
    };
  });
}

/** Feeds a trace to `decide`, applying each decision at once, as the actuator would. */
function simulate(options: SimulationOptions): SimulationResult {
  const config = { ...defaultPolicyConfig, ...options.config };
  const bootTicks = options.bootTicks ?? 0;
  let nextId = 0;
  let edges: SimulatedEdge[] = Array.from({ length: options.initialEdges }, () => ({
    id: `edge-${nextId++}`,
    readyAtTick: 0,
  }));
  let state = initialPolicyState();
  const counts: number[] = [];
  const decisions: Decision[] = [];
  options.trace.forEach((demand, tick) => {
    const result = decide({ state, edges: edgeLoads(edges, demand, tick), config, now: tick * TICK_MS });
    state = result.state;
    const { desired } = result.decision;
    if (desired > edges.length) {
      const added = Array.from({ length: desired - edges.length }, () => ({
        id: `edge-${nextId++}`,
        readyAtTick: tick + 1 + bootTicks,
      }));
      edges = [...edges, ...added];
    } else {
      edges = edges.slice(0, desired); // the newest edges go first
    }
    counts.push(edges.length);
    decisions.push(result.decision);
  });
  return { counts, decisions };
}

/** [[count, ticks], ...] -> the per-tick sequence, so long expectations stay readable. */
function runs(...spans: Array<[count: number, ticks: number]>): number[] {
  return spans.flatMap(([count, ticks]) => Array<number>(ticks).fill(count));
}

function repeat(value: number, ticks: number): number[] {
  return Array<number>(ticks).fill(value);
}

/** How often the fleet switched between growing and shrinking. */
function directionChanges(counts: readonly number[]): number {
  let changes = 0;
  let last = 0;
  for (let i = 1; i < counts.length; i++) {
    const direction = Math.sign((counts[i] ?? 0) - (counts[i - 1] ?? 0));
    if (direction === 0) continue;
    if (last !== 0 && direction !== last) changes++;
    last = direction;
  }
  return changes;
}

function countChanges(counts: readonly number[]): number {
  return counts.filter((c, i) => i > 0 && c !== counts[i - 1]).length;
}

/** Small seeded linear congruential generator (Numerical Recipes constants), values in [0, 1). */
function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface TraceRow {
  name: string;
  simulation: SimulationOptions;
  expected: number[];
}

const boundedFleet: Partial<PolicyConfig> = { minEdges: 2, maxEdges: 6 };
/** A scale-up limit too loose to hide repeated scale-ups. */
const looseScaleUp: Partial<PolicyConfig> = { scaleUp: { abs: 20, pct: 100, periodMs: 60_000 } };

// Demand is in Gbit/s; an edge at the 0.6 target carries 6, so demand 42 needs 7 edges.
const rows: TraceRow[] = [
  {
    // 42 on 1 edge wants 7; +4 per 60 s gives 5 at once and the other 2 when
    // the first scale event leaves the period (tick 8 = 60 s after tick 4).
    name: 'step up: grows at once, then in rate-limited steps',
    simulation: { initialEdges: 1, trace: [...repeat(6, 4), ...repeat(42, 16)] },
    expected: runs([1, 4], [5, 4], [7, 12]),
  },
  {
    // The recommendations of 10 made up to tick 3 (45 s) leave the 300 s window
    // at tick 23 (345 s); after that one edge goes per 60 s down to the 3 needed.
    name: 'step down: waits out the window, then one edge per minute',
    simulation: { initialEdges: 10, trace: [...repeat(60, 4), ...repeat(18, 56)] },
    expected: runs([10, 23], [9, 4], [8, 4], [7, 4], [6, 4], [5, 4], [4, 4], [3, 13]),
  },
  {
    // A 60 s burst: up to 7 at once; the last recommendation of 7 (tick 7,
    // 105 s) ages out at tick 27 (405 s), only then does the fleet shrink.
    name: 'spike shorter than the window: up fast, down only after the window',
    simulation: { initialEdges: 3, trace: [...repeat(18, 4), ...repeat(42, 4), ...repeat(18, 36)] },
    expected: runs([3, 4], [7, 23], [6, 4], [5, 4], [4, 4], [3, 5]),
  },
  {
    // Demand ramps 12 -> 30 over 2 minutes, five times, then stays at 12. The
    // peaks (5 edges) are always inside the window, so no edge is removed until
    // 300 s after the last peak (tick 39 -> tick 59).
    name: 'sawtooth faster than the window: sized for the peaks, no oscillation',
    simulation: { initialEdges: 2, trace: [...sawtooth({ low: 12, high: 30, ticks: 8, cycles: 5 }), ...repeat(12, 40)] },
    expected: runs([2, 1], [3, 3], [4, 2], [5, 53], [4, 4], [3, 4], [2, 13]),
  },
  {
    name: 'minEdges: an idle fleet keeps its floor',
    simulation: { initialEdges: 2, config: boundedFleet, trace: repeat(0, 30) },
    expected: repeat(2, 30),
  },
  {
    // 60 on 2 edges wants 10; capped at 6, which +4 reaches in one step.
    name: 'maxEdges: overload is capped',
    simulation: { initialEdges: 2, config: boundedFleet, trace: repeat(60, 12) },
    expected: repeat(6, 12),
  },
  {
    // No edges means no load figures: start minEdges, then scale on what they
    // report, under the +4/60s limit counted from the 0 edges at period start.
    name: 'minEdges: an empty fleet starts at its floor, then scales on load',
    simulation: { initialEdges: 0, config: boundedFleet, trace: repeat(60, 8) },
    expected: runs([2, 1], [4, 3], [6, 4]),
  },
  {
    // 9 edges above maxEdges 6 go to 6 at once despite the -1/60s limit; the
    // 3 removed count against that limit, so the next step waits until tick 4.
    name: 'maxEdges: a fleet above the ceiling moves in at once',
    simulation: { initialEdges: 9, config: boundedFleet, trace: repeat(18, 20) },
    expected: runs([6, 4], [5, 4], [4, 4], [3, 8]),
  },
  {
    // Edges take 2 minutes to boot. They count as capacity with no load, so the
    // fleet asks for the 4 edges once instead of again on every tick.
    name: 'booting edges do not cause repeated scale-ups',
    simulation: { initialEdges: 1, bootTicks: 8, config: looseScaleUp, trace: [...repeat(6, 4), ...repeat(24, 16)] },
    expected: runs([1, 4], [4, 16]),
  },
];

/** Demand ramping from low to high over `ticks`, then dropping back, `cycles` times. */
function sawtooth(shape: { low: number; high: number; ticks: number; cycles: number }): number[] {
  const { low, high, ticks, cycles } = shape;
  const cycle = Array.from({ length: ticks }, (_, k) => low + ((high - low) * k) / (ticks - 1));
  return Array.from({ length: cycles }, () => cycle).flat();
}

/** Demand wobbling uniformly within ±amplitude (a fraction) around a mean. */
function noisy(shape: { mean: number; amplitude: number; ticks: number; seed: number }): number[] {
  const random = seededRandom(shape.seed);
  return Array.from({ length: shape.ticks }, () => shape.mean * (1 + shape.amplitude * (2 * random() - 1)));
}

describe('decide over load traces (15 s ticks, 10 Gbit/s edges, target 0.6)', () => {
  for (const row of rows) {
    it(row.name, () => {
      const { counts } = simulate(row.simulation);
      expect(counts).toEqual(row.expected);
    });
  }

  it('booting edges: the same fleet as if they were ready at once', () => {
    const trace = [...repeat(6, 4), ...repeat(24, 16)];
    const instant = simulate({ initialEdges: 1, config: looseScaleUp, trace });
    const slow = simulate({ initialEdges: 1, bootTicks: 8, config: looseScaleUp, trace });
    expect(slow.counts).toEqual(instant.counts);
    expect(slow.decisions.filter((d) => d.action === 'scale-up')).toHaveLength(1);
  });

  // 5 edges at a mean of 30 Gbit/s sit exactly on target; ±8% stays inside the
  // ±10% tolerance whatever the random draws, so any change at all is flapping.
  it.each([1, 2, 3, 4, 5])('noise ±8%% around target, seed %i: no change in an hour', (seed) => {
    const trace = noisy({ mean: 30, amplitude: 0.08, ticks: 240, seed });
    const { counts } = simulate({ initialEdges: 5, trace });
    expect(countChanges(counts)).toBe(0);
  });

  // ±30% leaves the tolerance band often. The fleet should grow to cover the
  // peaks (39 Gbit/s needs 7 edges) and settle, not follow every wobble: at
  // most one turn from growing to shrinking in an hour, never beyond the peak's need.
  it.each(Array.from({ length: 20 }, (_, i) => i + 1))('noise ±30%% around target, seed %i: settles, no flapping', (seed) => {
    const trace = noisy({ mean: 30, amplitude: 0.3, ticks: 240, seed });
    const { counts } = simulate({ initialEdges: 5, trace });
    expect(directionChanges(counts)).toBeLessThanOrEqual(1);
    expect(countChanges(counts)).toBeLessThanOrEqual(2);
    expect(Math.max(...counts)).toBeLessThanOrEqual(7);
    expect(Math.min(...counts.slice(20))).toBeGreaterThanOrEqual(6);
  });

  it('the simulator helpers count what they claim', () => {
    expect(runs([3, 2], [5, 1])).toEqual([3, 3, 5]);
    expect(directionChanges([1, 2, 2, 3, 2, 2, 1, 4])).toBe(2);
    expect(countChanges([1, 2, 2, 3, 2])).toBe(3);
    expect(sawtooth({ low: 0, high: 6, ticks: 3, cycles: 2 })).toEqual([0, 3, 6, 0, 3, 6]);
  });
});
