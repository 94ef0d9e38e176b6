/**
 * Prometheus metrics of the autoscaler, on the service's own registry:
 * utilization, current and desired edge counts per decision, decisions by
 * action, actuator operations by outcome, and whether this instance leads.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ActionEntry, DecisionEntry } from '../loop/autoscaler-types.js';

export interface AutoscalerMetrics {
  observeDecision(entry: DecisionEntry): void;
  observeAction(entry: ActionEntry): void;
  setLeader(leader: boolean): void;
}

export function createAutoscalerMetrics(registry: Registry): AutoscalerMetrics {
  const registers = [registry];
  const utilization = new Gauge({
    name: 'hlscdn_autoscaler_utilization',
    help: 'Fleet utilization at the last decision (fraction of capacity): the policy figure and each resource',
    labelNames: ['metric'] as const,
    registers,
  });
  const current = new Gauge({
    name: 'hlscdn_autoscaler_current_edges',
    help: 'Active edges at the last decision, booting ones included',
    registers,
  });
  const desired = new Gauge({ name: 'hlscdn_autoscaler_desired_edges', help: 'Edge count the last decision asked for', registers });
  const decisions = new Counter({
    name: 'hlscdn_autoscaler_decisions_total',
    help: 'Decisions made while leading, by action',
    labelNames: ['action'] as const,
    registers,
  });
  const actions = new Counter({
    name: 'hlscdn_autoscaler_actuator_operations_total',
    help: 'Actuator operations started by the loop, by kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers,
  });
  const leader = new Gauge({ name: 'hlscdn_autoscaler_leader', help: '1 while this instance holds the leader lease', registers });
  // Zero series exist from the start, so a rate() over them works before the first scale event.
  for (const action of ['scale-up', 'scale-down', 'hold']) decisions.inc({ action }, 0);
  leader.set(0);
  return {
    observeDecision(entry) {
      utilization.set({ metric: 'policy' }, entry.utilization);
      utilization.set({ metric: 'egress' }, entry.metrics.egress);
      utilization.set({ metric: 'connections' }, entry.metrics.connections);
      current.set(entry.current);
      desired.set(entry.desired);
      decisions.inc({ action: entry.action });
    },
    observeAction(entry) {
      actions.inc({ kind: entry.kind, outcome: entry.outcome });
    },
    setLeader(isLeader) {
      leader.set(isLeader ? 1 : 0);
    },
  };
}
