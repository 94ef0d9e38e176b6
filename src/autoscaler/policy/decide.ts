/**
 * The autoscaling decision: from one snapshot of the edge registry and the
 * policy's memory, how many edges the fleet should run now. Pure: no clock, no
 * I/O; the caller supplies `now`, applies the decision and keeps the new state.
 *
 * Pipeline, after the Kubernetes HPA algorithm
 * (https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#algorithm-details):
 * utilization -> ceil(current x utilization / target) -> tolerance -> bounds ->
 * scale-down stabilization -> step limits -> bounds again.
 */
import { measureFleet, pickUtilization } from './fleet-load.js';
import { pruneState, recordRecommendation, recordScaleEvent } from './policy-state.js';
import { limitScaleDown, limitScaleUp, stabilize } from './rate-limits.js';
import { explainDecision, type ReasonFacts } from './reason.js';
import type { DecideInput, DecideOutput, PolicyConfig, ScaleAction } from './types.js';

/**
 * Floating point makes 4 x 0.45 / 0.6 come out as 3.0000000000000004; without
 * this slack ceil() would ask for an edge nobody needs, and a ratio sitting
 * exactly on the tolerance edge would count as outside it.
 */
const EPSILON = 1e-9;

function clampToBounds(count: number, config: PolicyConfig): number {
  return Math.min(config.maxEdges, Math.max(config.minEdges, count));
}

export function decide(input: DecideInput): DecideOutput {
  const { edges, config, now } = input;
  let state = pruneState(input.state, config, now);

  const fleet = measureFleet(edges);
  const { current } = fleet;
  const utilization = pickUtilization(fleet.metrics, config.metric);
  const wanted = Math.max(0, Math.ceil((current * utilization) / config.target - EPSILON));
  const rawDesired = clampToBounds(wanted, config);
  const withinTolerance = current > 0 && Math.abs(utilization / config.target - 1) <= config.tolerance + EPSILON;
  const recommendation = withinTolerance ? clampToBounds(current, config) : rawDesired;
  state = recordRecommendation(state, { at: now, desired: recommendation });

  const windowMs = config.scaleDownStabilizationMs;
  const stabilized = stabilize({ current, recommendation, state, windowMs, now });
  const stabilization = stabilized.target > recommendation ? { highest: stabilized.highest, windowMs } : undefined;

  let limitedDesired = stabilized.target;
  let step: ReasonFacts['step'];
  if (stabilized.target !== current) {
    const direction = stabilized.target > current ? 'up' : 'down';
    const limit = direction === 'up' ? limitScaleUp : limitScaleDown;
    const periodMs = direction === 'up' ? config.scaleUp.periodMs : config.scaleDown.periodMs;
    const limited = limit({ current, target: stabilized.target, state, config, now });
    limitedDesired = limited.desired;
    step = { direction, perPeriod: limited.perPeriod, periodMs, limited: limited.limited };
  }

  // Bounds are hard: a fleet outside them moves straight in, whatever the step limits say.
  const desired = clampToBounds(limitedDesired, config);
  if (desired !== current) state = recordScaleEvent(state, { at: now, delta: desired - current });

  const action: ScaleAction = desired > current ? 'scale-up' : desired < current ? 'scale-down' : 'hold';
  return {
    state,
    decision: {
      at: now,
      current,
      desired,
      rawDesired,
      utilization,
      metrics: fleet.metrics,
      action,
      reason: explainDecision({
        current,
        desired,
        utilization,
        target: config.target,
        tolerance: config.tolerance,
        withinTolerance,
        wanted,
        minEdges: config.minEdges,
        maxEdges: config.maxEdges,
        stabilization,
        step,
      }),
    },
  };
}
