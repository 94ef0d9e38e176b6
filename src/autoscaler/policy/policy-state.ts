/**
 * The policy's memory between ticks: recent recommendations (for the scale-down
 * stabilization window) and recent scale events (for the rate limits). Every
 * function returns a new state; none mutates its input.
 */
import type { PolicyConfig, PolicyState, Recommendation, ScaleEvent } from './types.js';

export function initialPolicyState(): PolicyState {
  return { recommendations: [], scaleEvents: [] };
}

/**
 * An entry counts while it is strictly younger than the window, as in the HPA
 * (`timestamp.After(now - window)`): an event made exactly one period ago no
 * longer limits the next step.
 */
function isWithin(at: number, now: number, windowMs: number): boolean {
  return at > now - windowMs;
}

/** Drops what no window can see any more, so the state stays bounded. */
export function pruneState(state: PolicyState, config: PolicyConfig, now: number): PolicyState {
  const eventWindowMs = Math.max(config.scaleUp.periodMs, config.scaleDown.periodMs);
  return {
    recommendations: state.recommendations.filter((r) => isWithin(r.at, now, config.scaleDownStabilizationMs)),
    scaleEvents: state.scaleEvents.filter((e) => isWithin(e.at, now, eventWindowMs)),
  };
}

/**
 * Appends a recommendation. Older entries not above the new one are dropped:
 * they leave the window before it does, so they can never be the window's
 * highest again (a monotonic queue). This keeps the list at most as long as the
 * number of distinct edge counts, however often `decide` is called.
 */
export function recordRecommendation(state: PolicyState, recommendation: Recommendation): PolicyState {
  const kept = state.recommendations.filter((r) => r.desired > recommendation.desired);
  return { ...state, recommendations: [...kept, recommendation] };
}

export function recordScaleEvent(state: PolicyState, event: ScaleEvent): PolicyState {
  return { ...state, scaleEvents: [...state.scaleEvents, event] };
}

/** Highest recommendation younger than the window, or undefined when there is none. */
export function highestRecommendation(state: PolicyState, now: number, windowMs: number): number | undefined {
  let highest: number | undefined;
  for (const r of state.recommendations) {
    if (!isWithin(r.at, now, windowMs)) continue;
    if (highest === undefined || r.desired > highest) highest = r.desired;
  }
  return highest;
}

export interface PeriodChanges {
  added: number;
  removed: number;
}

/** Edges added and removed by scale events younger than the period. */
export function changesInPeriod(state: PolicyState, now: number, periodMs: number): PeriodChanges {
  let added = 0;
  let removed = 0;
  for (const e of state.scaleEvents) {
    if (!isWithin(e.at, now, periodMs)) continue;
    if (e.delta > 0) added += e.delta;
    else removed -= e.delta;
  }
  return { added, removed };
}
