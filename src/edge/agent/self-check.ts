/**
 * The agent's verdict on its own edge, as pure logic: nginx must answer the
 * canary (a small object fetched through the viewer-facing port and the cache
 * path, like a segment) in time, and the share of requests nginx could not get
 * from the origin must not be most of them. A heartbeat proves that the agent
 * runs; this proves that nginx serves. The I/O is in edge-agent.ts.
 */

/** What one canary fetch gave: an answer with its time to first byte, or the reason there was none. */
export type CanaryOutcome = { ok: true; status: number; ttfbMs: number } | { ok: false; error: string };

export interface SelfCheckInput {
  canary: CanaryOutcome;
  /** Requests and upstream failures over the agent's load window. */
  requests: number;
  upstreamErrors: number;
}

export interface SelfCheckPolicy {
  /** A canary slower than this counts as failed (it was also aborted at this deadline). */
  timeoutMs: number;
  /** Upstream failures are judged only above this many requests, so one failed miss on a quiet edge is not an outage. @defaultValue 10 */
  minRequests?: number;
  /** Share of requests with an upstream failure at which the edge is unhealthy. @defaultValue 0.5 */
  maxUpstreamErrorRatio?: number;
}

export type SelfCheckVerdict = { healthy: true } | { healthy: false; reason: string };

export function judgeSelfCheck(input: SelfCheckInput, policy: SelfCheckPolicy): SelfCheckVerdict {
  const { canary } = input;
  if (!canary.ok) return { healthy: false, reason: `canary failed: ${canary.error}` };
  // A 5xx canary means nginx could neither reach the origin nor serve a stale copy.
  if (canary.status >= 500) return { healthy: false, reason: `canary answered ${canary.status}` };
  if (canary.ttfbMs > policy.timeoutMs) return { healthy: false, reason: `canary took ${Math.round(canary.ttfbMs)} ms (limit ${policy.timeoutMs} ms)` };
  const minRequests = policy.minRequests ?? 10;
  const maxRatio = policy.maxUpstreamErrorRatio ?? 0.5;
  if (input.requests >= minRequests && input.upstreamErrors / input.requests >= maxRatio) {
    return { healthy: false, reason: `${input.upstreamErrors} of ${input.requests} requests failed upstream` };
  }
  return { healthy: true };
}
