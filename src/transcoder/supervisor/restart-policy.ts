/**
 * What to do after an ffmpeg run ends: finish, restart after a backoff, or give up.
 * Pure decision logic (the hls.js RetryConfig model): exponential backoff with jitter
 * from core/retry, a failure streak that resets after a healthy run, and a bounded
 * number of attempts so an input that keeps failing ends the task with its reason.
 * SRS retries a dead ingest every 3 s and mmids every 5 s without backoff; a fixed
 * interval hammers a broken source and floods the logs.
 */
import { retryDelayMs } from '../../core/retry.js';
import type { RetryPolicy } from '../../core/retry.js';

export interface RestartPolicy {
  /** Runs in a row that may fail before the task fails; 1 = never restart. */
  readonly maxAttempts: number;
  /** Backoff between attempts (its maxAttempts is not used). */
  readonly backoff: RetryPolicy;
  /** A run that lasted this long was healthy: the failure streak starts again from zero. */
  readonly healthyAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  maxAttempts: 6,
  backoff: { maxAttempts: Number.POSITIVE_INFINITY, baseDelayMs: 1_000, maxDelayMs: 30_000, jitter: 0.5 },
  healthyAfterMs: 60_000,
};

export type RunEnd =
  | { readonly kind: 'finished' }
  | { readonly kind: 'stopped' }
  /** `permanent`: retrying cannot help (the ladder does not fit the input...). */
  | { readonly kind: 'failed' | 'stalled'; readonly reason: string; readonly permanent?: boolean };

export type RestartDecision =
  | { readonly action: 'done' }
  | { readonly action: 'stopped' }
  | { readonly action: 'restart'; readonly delayMs: number; readonly failures: number; readonly reason: string }
  | { readonly action: 'give-up'; readonly failures: number; readonly reason: string };

export interface DecideOptions {
  readonly policy: RestartPolicy;
  readonly end: RunEnd;
  /** Failed runs in a row before this one. */
  readonly failures: number;
  readonly ranForMs: number;
  /** The task ends when ffmpeg ends (VOD, a test source with a duration); else a clean exit means the live input went away. */
  readonly endsByItself: boolean;
  /** @defaultValue Math.random */
  readonly random?: () => number;
}

export function decideAfterRun(options: DecideOptions): RestartDecision {
  const { end, policy } = options;
  if (end.kind === 'stopped') return { action: 'stopped' };
  if (end.kind === 'finished' && options.endsByItself) return { action: 'done' };
  const reason = end.kind === 'finished' ? 'the live input ended' : end.reason;
  const streak = options.ranForMs >= policy.healthyAfterMs ? 0 : options.failures;
  const failures = streak + 1;
  if (end.kind !== 'finished' && end.permanent) return { action: 'give-up', failures, reason };
  if (failures >= policy.maxAttempts) {
    return { action: 'give-up', failures, reason: `${reason} (gave up after ${failures} attempt${failures === 1 ? '' : 's'})` };
  }
  return { action: 'restart', delayMs: retryDelayMs(policy.backoff, failures, options.random), failures, reason };
}
