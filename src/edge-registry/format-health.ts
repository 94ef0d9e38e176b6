/**
 * An edge's health as people read it (the dashboard, `hlscdn edges list`): one
 * verdict from the agent's own word (state, problem) and the outside-in
 * prober's (the record's `probe`), the probe's round trip, and how long the
 * edge has been failing. Pure: the time comes in.
 */
import type { EdgeRecord } from './edge-record.js';

/** healthy: nothing says otherwise; slow: the probes answer, well behind the fleet; unhealthy: its agent or the probes say it fails. */
export type EdgeHealthVerdict = 'healthy' | 'slow' | 'unhealthy';

/** When a watcher (the dashboard) first saw the edge unhealthy. */
export interface ObservedUnhealthy {
  at: number;
  /** The edge was already unhealthy when first seen, so the failure began at or before `at`. */
  atOrBefore?: boolean;
}

export interface EdgeHealth {
  verdict: EdgeHealthVerdict;
  /** "healthy", "slow" or "unhealthy: <problem>". */
  label: string;
  /** Why it is unhealthy (its problem) or slow (the probe's detail); absent when healthy or unknown. */
  reason?: string;
  /** The prober's smoothed round trip, ms; null without a verdict or before any probe answered. */
  rttMs: number | null;
  /** When the current failure began, epoch ms; null when healthy or not known. */
  failingSince: number | null;
  /** now - failingSince, never negative; null when failingSince is. */
  failingForMs: number | null;
  /** failingForMs is a lower bound (the failure was already under way when first seen). */
  failingForAtLeast: boolean;
}

/**
 * The record carries when the probe's verdict began (`probe.since`), but not
 * when its agent turned it unhealthy: a long-running watcher may pass
 * `observedUnhealthy` for that, and the earlier of the two is used.
 */
export function describeEdgeHealth(record: EdgeRecord, now: number, observedUnhealthy?: ObservedUnhealthy): EdgeHealth {
  const probe = record.probe;
  const rttMs = probe?.rttMs ?? null;
  // The agent sets `problem` whenever its self-check fails, draining or not; a view sets it for a 'down' verdict.
  if (record.state === 'unhealthy' || record.problem !== undefined || probe?.verdict === 'down') {
    const reason =
      record.problem ?? (probe?.verdict === 'down' ? `viewers' probes fail${probe.detail ? `: ${probe.detail}` : ''}` : undefined);
    const candidates: Array<{ at: number; atLeast: boolean }> = [];
    if (probe?.verdict === 'down') candidates.push({ at: probe.since, atLeast: false });
    if (observedUnhealthy) candidates.push({ at: observedUnhealthy.at, atLeast: observedUnhealthy.atOrBefore ?? false });
    const first = candidates.sort((a, b) => a.at - b.at)[0];
    return {
      verdict: 'unhealthy',
      label: reason ? `unhealthy: ${reason}` : 'unhealthy',
      ...(reason !== undefined && { reason }),
      rttMs,
      ...failing(first, now),
    };
  }
  if (probe?.verdict === 'slow') {
    return {
      verdict: 'slow',
      label: 'slow',
      ...(probe.detail !== undefined && { reason: probe.detail }),
      rttMs,
      ...failing({ at: probe.since, atLeast: false }, now),
    };
  }
  return { verdict: 'healthy', label: 'healthy', rttMs, ...failing(undefined, now) };
}

function failing(
  start: { at: number; atLeast: boolean } | undefined,
  now: number,
): Pick<EdgeHealth, 'failingSince' | 'failingForMs' | 'failingForAtLeast'> {
  if (!start) return { failingSince: null, failingForMs: null, failingForAtLeast: false };
  return { failingSince: start.at, failingForMs: Math.max(0, now - start.at), failingForAtLeast: start.atLeast };
}
