/**
 * How fast the fleet may change: scale-down stabilization and the per-period step
 * limits. Modelled on the Kubernetes HPA scaling behaviour
 * (https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#configurable-scaling-behavior):
 * grow quickly so viewers do not rebuffer, shrink slowly because a wrong
 * scale-down costs a drain and a cold cache, a wrong scale-up only money.
 */
import { changesInPeriod, highestRecommendation } from './policy-state.js';
import type { PolicyConfig, PolicyState } from './types.js';

export interface StabilizeOptions {
  current: number;
  /** This tick's recommendation, already recorded in `state`. */
  recommendation: number;
  state: PolicyState;
  windowMs: number;
  now: number;
}

export interface Stabilized {
  target: number;
  /** Highest recommendation in the window (this tick's included). */
  highest: number;
}

/**
 * Scale-ups pass through untouched. A scale-down only goes as low as the highest
 * recommendation of the window, so a dip shorter than the window never removes
 * an edge that the next peak would need again.
 */
export function stabilize(options: StabilizeOptions): Stabilized {
  const { current, recommendation, state, windowMs, now } = options;
  const highest = Math.max(recommendation, highestRecommendation(state, now, windowMs) ?? recommendation);
  if (recommendation >= current) return { target: recommendation, highest };
  return { target: Math.min(current, highest), highest };
}

export interface StepLimitOptions {
  current: number;
  /** Edge count the policy would like; above current for limitScaleUp, below for limitScaleDown. */
  target: number;
  state: PolicyState;
  config: PolicyConfig;
  now: number;
}

export interface StepLimited {
  desired: number;
  /** Edges that may change per period under the limit in force. */
  perPeriod: number;
  /** True when the limit kept `desired` short of `target`. */
  limited: boolean;
}

/**
 * Adds at most max(abs, ceil(n * pct / 100)) edges per period. n is the edge
 * count at the start of the sliding period (current minus this period's net
 * change), so a run of scale-ups inside one period cannot compound the
 * percentage, the same base the HPA uses.
 */
export function limitScaleUp(options: StepLimitOptions): StepLimited {
  const { current, target, state, config, now } = options;
  const { added, removed } = changesInPeriod(state, now, config.scaleUp.periodMs);
  const periodStart = Math.max(0, current - added + removed);
  const perPeriod = Math.max(config.scaleUp.abs, Math.ceil((periodStart * config.scaleUp.pct) / 100));
  const ceiling = current + Math.max(0, perPeriod - added);
  return { desired: Math.min(target, ceiling), perPeriod, limited: target > ceiling };
}

/** Removes at most scaleDown.abs edges per period. */
export function limitScaleDown(options: StepLimitOptions): StepLimited {
  const { current, target, state, config, now } = options;
  const { removed } = changesInPeriod(state, now, config.scaleDown.periodMs);
  const perPeriod = config.scaleDown.abs;
  const floor = current - Math.max(0, perPeriod - removed);
  return { desired: Math.max(target, floor), perPeriod, limited: target < floor };
}
