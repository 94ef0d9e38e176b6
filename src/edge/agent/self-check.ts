/**
 * The agent's verdict on its own edge, as pure logic: nginx must answer the
 * canary (a small object fetched through the viewer-facing port and the cache
 * path, like a segment) in time, and most of its answers must not be 5xx (an
 * origin failure nginx covered with a stale copy is not the edge's fault, and
 * does not count). A heartbeat proves that the agent
 * runs; this proves that nginx serves. The I/O is in edge-agent.ts.
 */

/** What one canary fetch gave: an answer with its time to first byte, or the reason there was none. */
export type CanaryOutcome = { ok: true; status: number; ttfbMs: number } | { ok: false; error: string };

export interface SelfCheckInput {
  canary: CanaryOutcome;
  /** Requests and 5xx answers over the agent's load window. */
  requests: number;
  serverErrors: number;
}

export interface SelfCheckPolicy {
  /** A canary slower than this counts as failed (it was also aborted at this deadline). */
  timeoutMs: number;
  /** 5xx answers are judged only above this many requests, so one failed miss on a quiet edge is not an outage. @defaultValue 10 */
  minRequests?: number;
  /** Share of 5xx answers at which the edge is unhealthy. @defaultValue 0.5 */
  maxServerErrorRatio?: number;
}

export type SelfCheckVerdict = { healthy: true } | { healthy: false; reason: string };

export function judgeSelfCheck(input: SelfCheckInput, policy: SelfCheckPolicy): SelfCheckVerdict {
  const { canary } = input;
  if (!canary.ok) return { healthy: false, reason: `canary failed: ${canary.error}` };
  // A 5xx canary means nginx could neither reach the origin nor serve a stale copy.
  if (canary.status >= 500) return { healthy: false, reason: `canary answered ${canary.status}` };
  if (canary.ttfbMs > policy.timeoutMs)
    return { healthy: false, reason: `canary took ${Math.round(canary.ttfbMs)} ms (limit ${policy.timeoutMs} ms)` };
  const minRequests = policy.minRequests ?? 10;
  const maxRatio = policy.maxServerErrorRatio ?? 0.5;
  if (input.requests >= minRequests && input.serverErrors / input.requests >= maxRatio) {
    return { healthy: false, reason: `${input.serverErrors} of ${input.requests} answers were 5xx` };
  }
  return { healthy: true };
}
