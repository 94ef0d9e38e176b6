/**
 * `hlscdn autoscaler status` output: the /status JSON as a few lines a person
 * reads at a glance. Pure: the status and the time in, text out.
 */
import type { AutoscalerStatus } from '../loop/autoscaler-types.js';

function percent(value: number | undefined): string {
  return value === undefined ? '-' : `${(value * 100).toFixed(1)}%`;
}

function ago(at: number, now: number): string {
  const seconds = Math.max(0, (now - at) / 1000);
  return seconds < 120 ? `${seconds.toFixed(0)}s ago` : `${(seconds / 60).toFixed(0)}m ago`;
}

export function formatStatus(status: AutoscalerStatus, now: number, options: { decisions?: number } = {}): string {
  const { policy } = status;
  const lines: string[] = [];
  const role = status.leader ? 'leader' : `follower (leader: ${status.leaderId ?? 'none'})`;
  lines.push(`role:      ${role}${status.holderId ? `, holder ${status.holderId}` : ''}`);
  lines.push(
    `metric:    ${policy.metric} utilization ${percent(status.utilization)} (target ${percent(policy.target)} ±${percent(policy.tolerance)}; egress ${percent(status.metrics?.egress)}, connections ${percent(status.metrics?.connections)})`,
  );
  lines.push(
    `edges:     current ${status.current ?? '-'}, desired ${status.desired ?? '-'} (min ${policy.minEdges}, max ${policy.maxEdges})`,
  );
  if (status.pending.length > 0) lines.push(`pending:   ${status.pending.join(', ')}`);
  if (status.stuck.length > 0) lines.push(`stuck:     ${status.stuck.join(', ')} (launched, never registered)`);
  if (status.removing.length > 0) lines.push(`removing:  ${status.removing.join(', ')}`);
  if (status.inFlight) lines.push(`action:    ${status.inFlight.description} (since ${ago(status.inFlight.startedAt, now)})`);
  if (status.lastSkip && (status.lastDecisionAt === undefined || status.lastSkip.at > status.lastDecisionAt)) {
    lines.push(`waiting:   ${status.lastSkip.reason}${status.lastSkip.detail ? `: ${status.lastSkip.detail}` : ''}`);
  }
  const registry = status.registry.connected ? `connected, ${status.registry.edges} live edges` : 'NOT connected';
  lines.push(`registry:  ${registry}`);
  const actuator = status.actuator;
  lines.push(`actuator:  ${actuator.kind}, ${actuator.edges.length} edges${actuator.busy ? `, busy: ${actuator.busy}` : ''}`);
  if (actuator.lastFailure)
    lines.push(`  last failure (${ago(actuator.lastFailure.at, now)}, ${actuator.lastFailure.operation}): ${actuator.lastFailure.message}`);
  const decisions = status.decisions.slice(0, options.decisions ?? 10);
  lines.push(decisions.length > 0 ? 'recent decisions:' : 'recent decisions: none yet');
  for (const d of decisions)
    lines.push(`  ${ago(d.at, now).padStart(8)}  ${d.action.padEnd(10)} ${d.current} -> ${d.desired}  ${d.reason} [${d.outcome}]`);
  const failed = status.actions.filter((a) => a.outcome === 'failed').slice(0, 3);
  for (const a of failed) lines.push(`  failed ${a.kind} ${a.ids.join(', ')} ${ago(a.at, now)}: ${a.error ?? ''}`);
  return lines.join('\n');
}
