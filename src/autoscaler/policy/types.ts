/**
 * Data shapes of the autoscaling policy: what the registry tells it about each
 * edge, how it is configured, what it remembers between ticks, and what it decides.
 * The policy itself lives in decide.ts; this file holds no logic.
 */

/** One nginx edge as seen in the registry at the moment of a decision. */
export interface EdgeLoad {
  id: string;
  /**
   * Draining edges take no new viewers, and unhealthy ones (failing their
   * self-check or the viewers' probes) get none, so neither counts as capacity:
   * the fleet scales up to replace them.
   */
  state: 'active' | 'draining' | 'unhealthy';
  /** True once the edge has sent its first healthy heartbeat. */
  ready: boolean;
  /** What one edge can take at 100% utilization. */
  capacity: { egressBytesPerSec: number; connections: number };
  egressBytesPerSec: number;
  connections: number;
}

/** Which utilization figure drives scaling. */
export type PolicyMetric = 'max' | 'egress' | 'connections';

export interface PolicyConfig {
  /**
   * Target fleet utilization, a fraction of capacity.
   * @defaultValue 0.6
   */
  target: number;
  /**
   * Act only when |utilization / target - 1| > tolerance.
   * @defaultValue 0.1
   */
  tolerance: number;
  /**
   * Fewest edges the fleet may run.
   * @defaultValue 1
   */
  minEdges: number;
  /**
   * Most edges the fleet may run.
   * @defaultValue 20
   */
  maxEdges: number;
  /**
   * Which utilization: 'max' is the higher of egress/capacity and connections/capacity.
   * @defaultValue 'max'
   */
  metric: PolicyMetric;
  /**
   * Scale-up rate limit: at most max(abs, ceil(n * pct / 100)) edges added per
   * periodMs, n being the edge count at the start of the period.
   * @defaultValue `{ abs: 4, pct: 100, periodMs: 60_000 }`
   */
  scaleUp: { abs: number; pct: number; periodMs: number };
  /**
   * Scale-down uses the highest recommendation made within this window.
   * @defaultValue 300_000
   */
  scaleDownStabilizationMs: number;
  /**
   * Scale-down rate limit: at most abs edges removed per periodMs.
   * @defaultValue `{ abs: 1, periodMs: 60_000 }`
   */
  scaleDown: { abs: number; periodMs: number };
  /**
   * How long one of the actuator's edges may be failing (unhealthy, or its record
   * gone while the actuator still runs it) before the loop replaces it: removed
   * without a drain, a new edge launched. A blip shorter than this costs nothing.
   * Not used by `decide`, which never counts a failing edge as capacity.
   * @defaultValue 10_000
   */
  unhealthyGraceMs: number;
}

/** A recommendation made at one tick, kept for the scale-down stabilization window. */
export interface Recommendation {
  at: number;
  desired: number;
}

/** A change of the edge count the policy decided (positive = added). */
export interface ScaleEvent {
  at: number;
  delta: number;
}

/** What the policy remembers between ticks. Treat as opaque and pass back unchanged. */
export interface PolicyState {
  /** Past recommendations still inside the stabilization window. */
  recommendations: Recommendation[];
  /** Past scale events still inside a rate-limit period. */
  scaleEvents: ScaleEvent[];
}

export type ScaleAction = 'scale-up' | 'scale-down' | 'hold';

export interface Decision {
  /** The `now` the decision was made at, ms. */
  at: number;
  /** Active edges, ready or still booting. */
  current: number;
  /** Edge count the fleet should have after this decision. */
  desired: number;
  /** ceil(current x utilization / target), clamped to [minEdges, maxEdges], before tolerance and rate limits. */
  rawDesired: number;
  /** Utilization per the configured metric. */
  utilization: number;
  /** Utilization per resource over active edges. */
  metrics: { egress: number; connections: number };
  action: ScaleAction;
  /** A sentence with the numbers behind the decision, for logs and events. */
  reason: string;
}

export interface DecideInput {
  state: PolicyState;
  edges: readonly EdgeLoad[];
  config: PolicyConfig;
  /** Time of the decision, ms (any monotonic clock, as long as it is always the same one). */
  now: number;
}

export interface DecideOutput {
  state: PolicyState;
  decision: Decision;
}
